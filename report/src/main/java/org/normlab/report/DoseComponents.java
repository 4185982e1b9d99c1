package org.normlab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * For a dose–response family whose trials report accuracy per dataset component (the mix attack:
 * val_acc_by_component in result.json), that accuracy per norm, strength and context beside the
 * whole validation set's. The mix changes two things at once, which component the validation set
 * holds and how many training images each component has; the plain component's accuracy against
 * the baseline separates the second from the first.
 */
final class DoseComponents {

    private DoseComponents() {}

    static void build(DoseTable table, Doc doc) {
        for (DoseSpec.Family f : table.spec().families()) {
            List<String> components = components(table, f.name());
            if (!components.isEmpty()) {
                family(table, f, components, doc);
            }
        }
    }

    /** The components any completed trial of the family reports, in name order. */
    static List<String> components(DoseTable table, String family) {
        TreeSet<String> names = new TreeSet<>();
        for (DoseTable.Row r : table.rows()) {
            if (r.baseline() || !r.family().equals(family)) {
                continue;
            }
            r.trialsByNorm().values().forEach(trials -> trials.forEach(t -> t.metrics().keySet().stream()
                    .filter(k -> k.startsWith(Metric.COMPONENT_PREFIX))
                    .forEach(k -> names.add(k.substring(Metric.COMPONENT_PREFIX.length())))));
        }
        return List.copyOf(names);
    }

    private static void family(DoseTable table, DoseSpec.Family f, List<String> components, Doc doc) {
        doc.heading(2, "Accuracy per component: " + f.name());
        doc.paragraph("Validation accuracy on each component of the mixed validation set (`val_acc_by_component`), "
                + "**mean ± sample std (n−1) (n)** over the completed trials, beside the whole set's (final val acc). "
                + "Strength 0 is the baseline (" + table.spec().baseline().name() + "), whose validation set is the "
                + "plain data alone: compare a component there with the same component under the attack, where each "
                + "component also had fewer training images (the strength's share of them went to the other).");
        List<String> header = new ArrayList<>(table.contextKeys());
        header.addAll(List.of("strength", "norm", Metric.FINAL_VAL_ACC.label()));
        components.forEach(c -> header.add(Metric.component(c).label()));
        List<Boolean> numeric = new ArrayList<>(table.contextKeys().stream().map(k -> false).toList());
        numeric.addAll(List.of(true, false));
        header.subList(numeric.size(), header.size()).forEach(h -> numeric.add(true));
        List<List<String>> rows = new ArrayList<>();
        for (Settings context : table.contexts()) {
            List<DoseTable.Row> lines = new ArrayList<>();
            DoseTable.Row base = table.baseline(context);
            if (base != null) {
                lines.add(base);
            }
            lines.addAll(table.rows(f.name(), context));
            for (DoseTable.Row r : lines) {
                for (String norm : table.norms()) {
                    List<TrialOutcome> trials = r.trials(norm);
                    if (trials.isEmpty() || !inFamily(table, f.name(), context, norm)) {
                        continue;
                    }
                    List<String> cells = new ArrayList<>();
                    table.contextKeys().forEach(k -> cells.add(context.display(k)));
                    cells.add(DoseSection.strength(r.strength()));
                    cells.add(norm);
                    cells.add(cell(Metric.FINAL_VAL_ACC, trials));
                    components.forEach(c -> cells.add(cell(Metric.component(c), trials)));
                    rows.add(cells);
                }
            }
        }
        doc.table(header, rows, numeric);
    }

    /** Whether the norm has trials in the family in this context (so its baseline row belongs here). */
    private static boolean inFamily(DoseTable table, String family, Settings context, String norm) {
        return table.rows(family, context).stream().anyMatch(r -> !r.trials(norm).isEmpty());
    }

    private static String cell(Metric m, List<TrialOutcome> trials) {
        Summary s = Summary.of(trials.stream().map(t -> t.metrics().get(m.name())).filter(Objects::nonNull).toList());
        return s.n() == 0 ? "—" : m.format(s) + " (" + s.n() + ")";
    }
}
