package org.normlab.config;

/** Per-trial logs beyond metrics.csv ({@code log:} in a sweep file). */
public record LogConfig(LogConfig.LayersLogConfig layers) {

    void validate(Problems p) {
        layers.validate(p);
    }

    /**
     * layers.csv: every norm layer's batch-noise probes every {@code every_steps} steps; 0 = off.
     * {@code batch_noise} adds the column batch_noise (and a logits row) on those steps.
     */
    public record LayersLogConfig(int everySteps, boolean batchNoise) {
        public boolean enabled() {
            return everySteps > 0;
        }

        void validate(Problems p) {
            p.atLeast(everySteps, 0, "log.layers.every_steps");
            p.require(!batchNoise || everySteps > 0, "log.layers.batch_noise",
                    "is measured on the steps log.layers samples: set log.layers.every_steps > 0 too (got 0)");
        }
    }
}
