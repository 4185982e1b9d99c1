package org.normlab.experiments.launch;

import java.util.ArrayList;
import java.util.List;
import org.normlab.results.UserError;

/**
 * An sbatch script that runs a sweep's shards as a Slurm job array: array task i runs
 * {@code run SWEEP --shard i/n} ({@code SLURM_ARRAY_TASK_ID}, array 0..n-1). Every task writes
 * its own shard folder under the shared results folder, where {@code merge} later finds them.
 */
public final class SlurmScript {

    /** The variable Slurm sets to the array task's index. */
    public static final String INDEX_VARIABLE = "SLURM_ARRAY_TASK_ID";

    private final Builder b;

    private SlurmScript(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The script's text. */
    public String text() {
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.add("# NormLab sweep '" + b.sweepName + "' as a Slurm job array: array task i runs shard i/" + b.shards + ".");
        lines.add("# Submit with: sbatch THIS_FILE    When every task is done, merge the shards:");
        lines.add("#   java -jar " + b.jar + " merge " + b.out.replaceAll("/+$", "") + "/" + b.sweepName);
        lines.add("#SBATCH --job-name=" + jobName());
        lines.add("#SBATCH --array=0-" + (b.shards - 1) + (b.maxRunning != null ? "%" + b.maxRunning : ""));
        lines.add("#SBATCH --ntasks=1");
        lines.add("#SBATCH --cpus-per-task=" + b.cpusPerTask);
        if (b.gpusPerTask > 0) {
            lines.add("#SBATCH --gpus-per-task=" + b.gpusPerTask);
        }
        if (b.partition != null) {
            lines.add("#SBATCH --partition=" + b.partition);
        }
        if (b.time != null) {
            lines.add("#SBATCH --time=" + b.time);
        }
        if (b.memory != null) {
            lines.add("#SBATCH --mem=" + b.memory);
        }
        if (b.account != null) {
            lines.add("#SBATCH --account=" + b.account);
        }
        b.extra.forEach(o -> lines.add("#SBATCH " + o));
        // Requeued after preemption or a node failure; SIGTERM to the JVM (the batch step: the
        // script execs java) before the time limit, so that the trial can stop cleanly.
        lines.add("#SBATCH --requeue");
        lines.add("#SBATCH --signal=B:TERM@" + b.gracePeriod);
        lines.add("#SBATCH --output=" + jobName() + "-%A_%a.out");
        // A requeued task appends to its log: the earlier run's lines say why it stopped.
        lines.add("#SBATCH --open-mode=append");
        lines.add("set -euo pipefail");
        lines.add(": \"${" + INDEX_VARIABLE + ":?not set: submit this script with sbatch (it is a job array)}\"");
        lines.add("JAVA=\"${JAVA:-java}\"");
        lines.add("JAR=\"${NORMLAB_JAR:-}\"");
        lines.add("if [ -z \"$JAR\" ]; then JAR=" + quote(b.jar) + "; fi");
        List<String> run = new ArrayList<>(List.of("exec \"$JAVA\""));
        b.jvmOptions().forEach(o -> run.add(word(o)));
        run.add("-jar \"$JAR\"");
        ShardInvocation shard = b.invocation(b.sweepPath, b.out, b.gpusPerTask, b.cpusPerTask);
        String index = "${" + INDEX_VARIABLE + "}";
        // One line per option with its value; the shard's value in double quotes, for bash to put the index in.
        for (String arg : shard.arguments(index)) {
            String word = arg.equals(shard.shardValue(index)) ? "\"" + arg + "\"" : word(arg);
            if (arg.startsWith("--")) {
                run.add(word);
            } else {
                run.set(run.size() - 1, run.get(run.size() - 1) + " " + word);
            }
        }
        lines.add(String.join(" \\\n    ", run));
        return String.join("\n", lines) + "\n";
    }

    private String jobName() {
        return "normlab-" + b.sweepName.replaceAll("[^A-Za-z0-9_.-]+", "-");
    }

    /** A word for bash: as it is when bash leaves it so, else single-quoted. */
    static String word(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : quote(s);
    }

    /** A word for bash: single-quoted, so nothing in it is expanded. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Settings of the script; sweep, shards, paths are required. */
    public static final class Builder extends LaunchBuilder<Builder> {
        private String sweepName;
        private String sweepPath;
        private String out;
        private String jar;
        private String partition;
        private String time;
        private String memory;
        private String account;
        private int cpusPerTask = 4;
        private int gpusPerTask;
        private Integer maxRunning;
        private List<String> extra = List.of();

        /** The sweep's name and the absolute path of its file on the cluster. */
        public Builder sweep(String name, String path) {
            this.sweepName = name;
            this.sweepPath = path;
            return this;
        }

        /** The results root on the cluster's shared file system. */
        public Builder out(String out) {
            this.out = out;
            return this;
        }

        /** The fat jar on the cluster (NORMLAB_JAR overrides it when the script runs). */
        public Builder jar(String jar) {
            this.jar = jar;
            return this;
        }

        public Builder partition(String partition) {
            this.partition = partition;
            return this;
        }

        /** Time limit per array task, e.g. 24:00:00. */
        public Builder time(String time) {
            this.time = time;
            return this;
        }

        public Builder memory(String memory) {
            this.memory = memory;
            return this;
        }

        public Builder account(String account) {
            this.account = account;
            return this;
        }

        /** CPUs per array task (default 4); the trials get them as --threads. */
        public Builder cpusPerTask(int cpus) {
            this.cpusPerTask = cpus;
            return this;
        }

        /** GPUs per array task; with more than one the task runs --parallel over them. */
        public Builder gpusPerTask(int gpus) {
            this.gpusPerTask = gpus;
            return this;
        }

        /** At most this many array tasks at once (the %k of --array), or null for no limit. */
        public Builder maxRunning(Integer max) {
            this.maxRunning = max;
            return this;
        }

        /** More #SBATCH options, e.g. --qos=long. */
        public Builder extra(List<String> options) {
            this.extra = List.copyOf(options);
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        public SlurmScript build() {
            if (sweepName == null || sweepPath == null || out == null || jar == null) {
                throw new IllegalStateException("sweep, out and jar are required");
            }
            checkShared();
            if (cpusPerTask < 1) {
                throw new UserError("--cpus-per-task " + cpusPerTask + ": must be at least 1");
            }
            if (gpusPerTask < 0) {
                throw new UserError("--gpus-per-task " + gpusPerTask + ": must be 0 or more");
            }
            if (maxRunning != null && maxRunning < 1) {
                throw new UserError("--max-running " + maxRunning + ": must be at least 1");
            }
            List<String> values = new ArrayList<>();
            values.add(partition);
            values.add(time);
            values.add(memory);
            values.add(account);
            for (String v : values) {
                if (v != null && !v.matches("[A-Za-z0-9_.:,+=@/-]+")) {
                    throw new UserError("'" + v + "': an #SBATCH value takes letters, digits and _.:,+=@/- only");
                }
            }
            for (String o : extra) {
                if (!o.matches("--?[A-Za-z][A-Za-z0-9-]*(=[A-Za-z0-9_.:,+=@/%-]+)?")) {
                    throw new UserError("--sbatch " + o + ": expected an sbatch option such as --qos=long");
                }
            }
            return new SlurmScript(this);
        }
    }
}
