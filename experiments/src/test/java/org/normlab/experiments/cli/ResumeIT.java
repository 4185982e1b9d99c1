package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.engine.ResumeCheckpoint;
import org.normlab.results.Provenance;

/**
 * A trial killed mid-way (kill -9, or halted at a named point by -Dnormlab.crash, which is the
 * same to the file system) resumes from its last resume checkpoint, and the sweep's results
 * (every result.json and metrics.csv, results.csv) equal an uninterrupted run's bit for bit, but
 * for timings: killed after an epoch, during a checkpoint's write, mid-epoch with
 * {@code checkpoint.every_steps} and with the gaussian attack's noise stream. A checkpoint that
 * belongs to another trial, or was written by another NormLab version, is not used: the trial
 * starts from scratch with one line saying why.
 */
class ResumeIT {

    @TempDir Path work;

    private static String[] smoke(String... sets) {
        List<String> args = new ArrayList<>(List.of(Jar.sweep("smoke.yaml"), "--out", "runs", "--threads", "1"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return args.toArray(String[]::new);
    }

    @Test
    void killedAfterAnEpochOrWhileCheckpointingResumesBitForBit() throws Exception {
        String[] sweep = smoke();
        Path reference = reference(sweep);
        Path dir = Files.createDirectories(work.resolve("killed"));
        // 1. while writing metrics.csv after epoch 2 of the first trial: it resumes after epoch 1
        Jar.Run run = Jar.run(dir, List.of("-Dnormlab.crash=write:metrics.csv@2"), sweep);
        assertEquals(137, run.exit(), run.all());
        Path trial = onlyCheckpointed(dir);
        String first = trial.getFileName().toString();
        try (Stream<Path> files = Files.list(trial.resolve("checkpoints"))) {
            assertEquals(List.of(ResumeCheckpoint.FILE), files.map(f -> f.getFileName().toString()).toList(),
                    "checkpoints: false keeps the resume state only");
        }
        assertEquals(1, ResumeCheckpoint.read(trial.resolve("checkpoints").resolve(ResumeCheckpoint.FILE)).history().size());
        // 2. the first trial's checkpoint put into another trial's folder is not used there
        String other = SameResults.trialIds(reference.resolve("runs/smoke")).stream().filter(id -> !id.equals(first))
                .findFirst().orElseThrow();
        Path foreign = Files.createDirectories(dir.resolve("runs/smoke").resolve(other).resolve("checkpoints"));
        Files.copy(trial.resolve("checkpoints").resolve(ResumeCheckpoint.FILE), foreign.resolve(ResumeCheckpoint.FILE));
        // 3. while writing the resume checkpoint after the (resumed) epoch 2: the one after epoch 1 stays
        run = Jar.run(dir, List.of("-Dnormlab.crash=write:resume.ckpt@1"), sweep);
        assertEquals(137, run.exit(), run.all());
        assertTrue(run.out().contains("  trial " + first + ": resuming from " + first + "/checkpoints/resume.ckpt (after epoch 1)"),
                run.out());
        // 4. uninterrupted to the end
        run = Jar.run(dir, sweep);
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().contains("  trial " + first + ": resuming from " + first + "/checkpoints/resume.ckpt (after epoch 1)"),
                run.out());
        assertTrue(run.out().contains("  trial " + other + ": " + other + "/checkpoints/resume.ckpt is from another run (trial_id "
                + first + ", now " + other + "), starting from scratch"), run.out());
        SameResults.assertSameResults(reference.resolve("runs/smoke"), dir.resolve("runs/smoke"));
        assertNoResumeStateLeft(dir);
    }

    @Test
    void killedMidEpochWithEveryStepsCheckpointsAndANoiseAttackResumesBitForBit() throws Exception {
        String[] sweep = smoke("checkpoint.every_steps=5", "attack.name=gaussian");
        Path reference = reference(sweep);
        Path dir = Files.createDirectories(work.resolve("mid-epoch"));
        // 1. halted while writing the 3rd step checkpoint (step 15, epoch 1): resumes from step 10
        Jar.Run run = Jar.run(dir, List.of("-Dnormlab.crash=write:resume.ckpt@3"), sweep);
        assertEquals(137, run.exit(), run.all());
        Path trial = onlyCheckpointed(dir);
        assertEquals(10, ResumeCheckpoint.read(trial.resolve("checkpoints").resolve(ResumeCheckpoint.FILE))
                .snapshot().position().step());
        // 2. a real kill -9 in the middle of the next epoch
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = Jar.start(dir, List.of(), out, err, sweep);
        try {
            Jar.awaitOutput(out, "  epoch 2 ", p);
            Thread.sleep(150);
        } finally {
            Jar.kill(p);
        }
        assertTrue(Files.readString(out).contains("resuming from " + trial.getFileName() + "/checkpoints/resume.ckpt"
                + " (at epoch 1, batch 10, step 10)"), Files.readString(out));
        Files.delete(out);
        Files.delete(err);
        // 3. the checkpoint now says another NormLab wrote it: the trial starts from scratch, saying why
        Path file = trial.resolve("checkpoints").resolve(ResumeCheckpoint.FILE);
        ResumeCheckpoint saved = ResumeCheckpoint.read(file);
        Provenance was = saved.identity().provenance();
        new ResumeCheckpoint(new ResumeCheckpoint.Identity(saved.identity().key(),
                new Provenance("0.0.1-old", was.normlabCommit(), was.norms())), saved.history(), saved.snapshot()).write(file);
        run = Jar.run(dir, sweep);
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().contains("  trial " + trial.getFileName() + ": " + trial.getFileName()
                + "/checkpoints/resume.ckpt was written by other code (NormLab 0.0.1-old is now " + was.normlabVersion()
                + "), starting from scratch"), run.out());
        assertFalse(run.out().contains("resuming from"), run.out());
        SameResults.assertSameResults(reference.resolve("runs/smoke"), dir.resolve("runs/smoke"));
        assertNoResumeStateLeft(dir);
    }

    @Test
    void layersCsvOfAResumedTrialEqualsAnUninterruptedOnesByteForByte() throws Exception {
        String[] sweep = smoke("log.layers.every_steps=2", "log.layers.batch_noise=true", "checkpoint.every_steps=5");
        Path reference = reference(sweep);
        Path dir = Files.createDirectories(work.resolve("layers"));
        // halted while writing the 3rd step checkpoint (step 15): layers.csv then holds rows to step 14,
        // the checkpoint that stays is step 10's, so the rows of steps 10-14 are sampled again
        Jar.Run run = Jar.run(dir, List.of("-Dnormlab.crash=write:resume.ckpt@3"), sweep);
        assertEquals(137, run.exit(), run.all());
        Path trial = onlyCheckpointed(dir);
        assertTrue(Files.readString(trial.resolve("layers.csv")).contains("\n14,1,"), "rows past the checkpoint are on disk");
        run = Jar.run(dir, sweep);
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().contains("resuming from " + trial.getFileName() + "/checkpoints/resume.ckpt (at epoch 1, batch 10, step 10)"),
                run.out());
        Set<String> ids = SameResults.trialIds(reference.resolve("runs/smoke"));
        assertEquals(4, ids.size(), ids.toString());
        for (String id : ids) {
            byte[] expected = Files.readAllBytes(reference.resolve("runs/smoke").resolve(id).resolve("layers.csv"));
            assertTrue(expected.length > 1000, id + ": the reference layers.csv has rows");
            String text = new String(expected, java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.startsWith("step,epoch,layer,norm,channels,mean_dev,std_logratio,gate_mean,gate_std,gate_min,gate_max,"
                    + "batch_noise"), id + ": " + text.lines().findFirst().orElse(""));
            assertTrue(text.contains("\n14,1,logits,"), id + ": a logits row per sampled step");
            assertArrayEquals(expected, Files.readAllBytes(dir.resolve("runs/smoke").resolve(id).resolve("layers.csv")),
                    id + "/layers.csv");
        }
        SameResults.assertSameResults(reference.resolve("runs/smoke"), dir.resolve("runs/smoke"));
    }

    private Path reference(String[] sweep) throws Exception {
        Path dir = Files.createDirectories(work.resolve("reference-" + sweep.length));
        Jar.Run run = Jar.run(dir, sweep);
        assertEquals(0, run.exit(), run.all());
        return dir;
    }

    /** The one trial folder that holds a resume checkpoint. */
    private static Path onlyCheckpointed(Path dir) throws Exception {
        try (Stream<Path> trials = Files.list(dir.resolve("runs/smoke"))) {
            List<Path> found = trials.filter(t -> Files.isRegularFile(t.resolve("checkpoints").resolve(ResumeCheckpoint.FILE)))
                    .toList();
            assertEquals(1, found.size(), found.toString());
            assertFalse(Files.exists(found.get(0).resolve("result.json")));
            return found.get(0);
        }
    }

    private static void assertNoResumeStateLeft(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("runs"))) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().equals(ResumeCheckpoint.FILE)).toList(),
                    "finished trials keep no resume state");
        }
    }
}
