package org.normlab.engine;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * What a person watching the run sees: one line per trial with the sweep's ETA, and a bar per
 * epoch (redrawn in place on a terminal, one line per epoch otherwise).
 */
public final class Progress implements EpochListener {

    private final PrintStream out;
    private final boolean terminal;
    private long lastDraw;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public void trialStarted(int number, int total, String id, String settings, Duration eta) {
        out.printf(Locale.ROOT, "trial %d/%d %s %s%s%n", number, total, id, settings,
                eta == null ? "" : " ETA " + format(eta));
    }

    public void trialSkipped(int number, int total, String id, String status) {
        out.printf(Locale.ROOT, "trial %d/%d %s already %s, skipped%n", number, total, id, status);
    }

    /** A line of its own about the trial under way (where it resumes from), as it is. */
    public void line(String text) {
        out.println(text);
    }

    /** A one-line note about the run (an eval or log setting that does not apply to a norm). */
    public void note(String line) {
        out.printf(Locale.ROOT, "%snote: %s%n", terminal ? "\r" : "", line);
    }

    @Override
    public void onBatch(int epoch, int done, int total, double loss) {
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        int width = 30;
        int filled = total <= 0 ? 0 : Math.min(width, done * width / total);
        out.printf(Locale.ROOT, "\r  epoch %d [%s%s] %d/%d loss %.4f", epoch + 1,
                "=".repeat(filled), " ".repeat(width - filled), done, total, loss);
        out.flush();
    }

    @Override
    public void onEpoch(EpochMetrics m, boolean best) {
        out.printf(Locale.ROOT, "%s  epoch %d  lr %.4g  train loss %.4f acc %.4f  val loss %.4f acc %.4f%s  %.0f img/s  %.1fs%n",
                terminal ? "\r" : "", m.epoch(), m.lr(), m.trainLoss(), m.trainAcc(), m.valLoss(), m.valAcc(),
                best ? " *" : "", m.trainImgPerSec(), m.epochSeconds());
    }

    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
