package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.report.SweepFixture.history;
import static org.normlab.report.SweepFixture.metrics;
import static org.normlab.report.SweepFixture.swept;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written report: PNGs that decode, a self-contained HTML page. Run with
 * {@code -Dreport.sample.dir=DIR} to keep a sample report for looking at.
 */
class OutputFilesTest {

    @TempDir Path tmp;

    @Test
    void pngsDecodeAndHtmlIsSelfContained() throws Exception {
        writeRichSweep(tmp.resolve("sweep"));
        String sample = System.getProperty("report.sample.dir");
        Path out = sample != null ? Path.of(sample) : tmp.resolve("report");
        Path dir = Reports.write(List.of(tmp.resolve("sweep")), out);

        List<String> pngs;
        try (Stream<Path> files = Files.list(dir)) {
            pngs = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
        assertEquals(List.of("accuracy_by_norm.png", "accuracy_vs_data_batch_size.png", "accuracy_vs_model_depth.png",
                "error_vs_batch_size.png", "learning_curves.png"), pngs);
        for (String name : pngs) {
            BufferedImage img = ImageIO.read(dir.resolve(name).toFile());
            assertNotNull(img, name + " decodes");
            assertTrue(img.getWidth() >= 800 && img.getWidth() <= 2000, name + " width " + img.getWidth());
            assertTrue(img.getHeight() >= 400 && img.getHeight() <= 2500, name + " height " + img.getHeight());
            assertFalse(isBlank(img), name + " has something drawn on it");
        }

        String html = Files.readString(dir.resolve("report.html"));
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            byte[] png = java.util.Base64.getDecoder().decode(m.group(1));
            assertNotNull(ImageIO.read(new java.io.ByteArrayInputStream(png)), "embedded image decodes");
            images++;
        }
        assertEquals(pngs.size(), images, "every plot is embedded");
        assertFalse(html.contains("http://") || html.contains("https://"), "no external resources");
        assertFalse(Pattern.compile("(src|href)=\"(?!data:)").matcher(html).find(), "nothing loaded from elsewhere");
        assertTrue(html.contains("<style>"));
        assertTrue(html.contains("Welch 95% CI"));
        assertTrue(html.contains("sample std (n−1)"));

        String md = Files.readString(dir.resolve("report.md"));
        for (String name : pngs) {
            assertTrue(md.contains("](" + name + ")"), "report.md links " + name);
        }
    }

    private static boolean isBlank(BufferedImage img) {
        int first = img.getRGB(0, 0);
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                if (img.getRGB(x, y) != first) {
                    return false;
                }
            }
        }
        return true;
    }

    /** bn, iebn, gn x batch size 32..256 x depth 20, 32 x 3 seeds, 8 epochs: a realistic-looking sweep. */
    static void writeRichSweep(Path dir) {
        SweepFixture f = new SweepFixture(dir, "depth-batch");
        List<String> norms = List.of("bn", "iebn", "gn");
        List<Integer> batches = List.of(32, 64, 128, 256);
        List<Integer> depths = List.of(20, 32);
        List<Object[]> trials = new ArrayList<>();
        for (String norm : norms) {
            for (int depth : depths) {
                for (int bs : batches) {
                    for (int seed = 1; seed <= 3; seed++) {
                        String id = norm + "-d" + depth + "-b" + bs + "-s" + seed;
                        Map<String, Object> sw = swept("norm.name", norm, "model.depth", depth, "data.batch_size", bs);
                        f.plan(id, seed, sw);
                        trials.add(new Object[] {id, seed, sw, norm, depth, bs});
                    }
                }
            }
        }
        f.writePlan(Map.of("norm.name", List.<Object>copyOf(norms), "model.depth", List.<Object>copyOf(depths),
                "data.batch_size", List.<Object>copyOf(batches)), List.of(1, 2, 3));
        for (Object[] t : trials) {
            String norm = (String) t[3];
            int depth = (int) t[4];
            int bs = (int) t[5];
            int seed = (int) t[1];
            double acc = 0.88 + (norm.equals("iebn") ? 0.012 : norm.equals("gn") ? -0.01 : 0)
                    + (depth == 32 ? 0.006 : 0) - 0.004 * Math.log(bs / 32.0) / Math.log(2)
                    + 0.006 * Math.sin(seed * 2.1 + depth + bs + norm.length());
            f.result((String) t[0], seed, (Map<String, Object>) t[2], "completed",
                    metrics(acc, acc + 0.003, acc + 0.04, 0.35 - (acc - 0.88), depth == 20 ? 272474 : 466906, 600),
                    history(8, acc, 0.01 * seed));
        }
    }
}
