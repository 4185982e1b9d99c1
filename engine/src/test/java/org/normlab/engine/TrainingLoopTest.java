package org.normlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Resume: a run stopped at any point (after any step, during any evaluation, during the final
 * evaluation) and resumed from the checkpoint its stop names ends exactly as a run that was never
 * stopped: the same history rows, outcome and parameters, bit for bit.
 */
class TrainingLoopTest {

    private static final LrSchedule VARIED = (epoch, fraction) -> (float) (0.1 + 0.05 * epoch + 0.01 * fraction);

    @Test
    void aStepsBudgetResumesFromAnyStop() throws Exception {
        // evaluations at steps 2, 4 (mid-epoch), 6 (an epoch's end) and 8; a checkpoint at step 3,
        // an epoch's last step that is not evaluated: the old loop could not resume from it
        assertResumesFromAnyStop(new TrainingPlan(0, 8, 2, VARIED, 0.9, 5e-4, false, 0, false, 3), 4, 18);
    }

    @Test
    void anEpochBudgetResumesFromAnyStop() throws Exception {
        assertResumesFromAnyStop(new TrainingPlan(2, null, 0, VARIED, 0.9, 5e-4, true, 0.1, false, 2), 2, 12);
    }

    @Test
    void aStepsBudgetOnlyEvaluatesWhereScheduled() throws Exception {
        List<String> lines = LoopTrace.run(LoopTrace.CURRENT, new TrainingPlan(0, 7, 3, VARIED, 0.9, 5e-4, false, 0, false, 0), 0);
        List<String> rows = lines.stream().filter(l -> l.startsWith("row ")).map(l -> l.substring(0, l.indexOf(" lr"))).toList();
        // step 3 and 6 end epochs 1 and 2; step 7 is the first of epoch 3
        assertEquals(List.of("row epoch 1 step 3", "row epoch 2 step 6", "row epoch 3 step 7"), rows);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("outcome diverged=null steps=7 epochs=2 final=")), String.join("\n", lines));
        assertEquals(7, lines.stream().filter(l -> l.startsWith("before step ")).count());
    }

    /** Every stop, counted: {@code ticks} finished steps and delivered validation batches, {@code evaluations} rows. */
    private static void assertResumesFromAnyStop(TrainingPlan plan, int evaluations, int ticks) throws Exception {
        List<String> whole = LoopTrace.run(LoopTrace.CURRENT, plan, 0);
        assertEquals(ticks, LoopTrace.ticks(LoopTrace.CURRENT, plan), "stop points of the plan");
        assertEquals(evaluations, rows(whole).size(), String.join("\n", whole));
        for (int stopAt = 1; stopAt <= ticks; stopAt++) {
            List<String> stopped = LoopTrace.run(LoopTrace.CURRENT, plan, stopAt);
            String what = "stopped at tick " + stopAt + ":\n" + String.join("\n", stopped);
            assertEquals(1, stopped.stream().filter(l -> l.startsWith("stopped: ")).count(), what);
            assertEquals(rows(whole), rows(stopped), what);
            // the outcome's rows are its own run's; the earlier ones are in the checkpoint
            assertEquals(last(whole, "outcome ").replaceAll(" rows=\\d+", ""), last(stopped, "outcome ").replaceAll(" rows=\\d+", ""), what);
            assertEquals(last(whole, "parameters "), last(stopped, "parameters "), what);
        }
    }

    /** The history rows, without the timing flag (a resumed evaluation has no training time). */
    private static List<String> rows(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("row ")).map(l -> l.replace(" untimed", "")).toList();
    }

    private static String last(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b).orElse("none");
    }
}
