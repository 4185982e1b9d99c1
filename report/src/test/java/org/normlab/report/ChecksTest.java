package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.results.UserError;

/** CSV tables in a results folder's checks/ are shown in the report, in name order, cell for cell. */
class ChecksTest {

    @TempDir Path tmp;

    @Test
    void everyChecksCsvBecomesATableAfterTheDoseResponseAndBeforeTheTrials() throws Exception {
        DoseSweep.write(tmp, java.util.Map.of("dose_response", DoseSweep.families()));
        Files.createDirectories(tmp.resolve("checks"));
        Files.writeString(tmp.resolve("checks/pytorch-parity.csv"),
                "norm,batch,NormLab,PyTorch\nbn,16,\"0.781 ± 0.008 (n=3)\",\"0.775 ± 0.001 (n=3)\"\n");
        Files.writeString(tmp.resolve("checks/convergence.csv"),
                "norm,batch,budget,2x budget,within 0.02\nbn,16,0.781,0.794,yes\ngn,128,0.745,0.755,yes\n");
        Files.writeString(tmp.resolve("checks/notes.txt"), "not a table");

        List<Checks.Table> tables = Checks.read(List.of(tmp));
        assertEquals(List.of("convergence", "pytorch-parity"), tables.stream().map(Checks.Table::title).toList());
        assertEquals(3, tables.get(0).rows().size());
        assertEquals(List.of("gn", "128", "0.745", "0.755", "yes"), tables.get(0).rows().get(2));

        String md = Files.readString(Reports.write(Reports.build(List.of(tmp)), tmp.resolve("report")).resolve("report.md"));
        int dose = md.indexOf("# Dose–response"), checks = md.indexOf("# Checks"), trials = md.indexOf("# Trials");
        assertTrue(dose >= 0 && dose < checks && checks < trials, md);
        assertTrue(md.contains("| bn | 16 | 0.781 | 0.794 | yes |"), md);
        assertTrue(md.contains("| bn | 16 | 0.781 ± 0.008 (n=3) | 0.775 ± 0.001 (n=3) |"), md);
        assertTrue(md.indexOf("## convergence") < md.indexOf("## pytorch-parity"), md);
    }

    @Test
    void withoutChecksThereIsNoSection() throws Exception {
        DoseSweep.write(tmp, null);
        String md = Files.readString(Reports.write(Reports.build(List.of(tmp)), tmp.resolve("report")).resolve("report.md"));
        assertTrue(!md.contains("# Checks"), md);
    }

    @Test
    void aRaggedTableIsAnErrorNamingFileAndRow() throws Exception {
        DoseSweep.write(tmp, null);
        Files.createDirectories(tmp.resolve("checks"));
        Files.writeString(tmp.resolve("checks/bad.csv"), "a,b\n1,2\n3\n");
        UserError e = assertThrows(UserError.class, () -> Checks.read(List.of(tmp)));
        assertTrue(e.getMessage().contains("bad.csv: row 3 has 1 cells, the header 2"), e.getMessage());
    }
}
