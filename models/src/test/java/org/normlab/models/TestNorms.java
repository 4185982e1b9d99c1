package org.normlab.models;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;

/** The real norm plugins, and a factory that records what it was asked for. */
final class TestNorms {

    static final NormRegistry REGISTRY = NormRegistry.load();

    private TestNorms() {}

    static NormFactory bn() {
        return REGISTRY.factory("bn", Map.of());
    }

    static NormFactory iebn() {
        return REGISTRY.factory("iebn", Map.of());
    }

    /** Builds, initializes on (1, C, H, W) and counts trainable parameters. */
    static long trainable(ModelSpec spec, NormFactory norm, NormFactory shortcutNorm, int hw) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Models.build(spec, norm, shortcutNorm);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, spec.inChannels(), hw, hw));
            return Models.trainableParameters(net);
        }
    }

    static NormFactory norm(String name) {
        return REGISTRY.factory(name, Map.of());
    }

    /**
     * Delegates to another factory and records the channels of every layer it made, and for
     * which the model asked to leave the activation out.
     */
    static final class Recording implements NormFactory {
        final List<Integer> channels = new ArrayList<>();
        final List<Integer> withoutActivation = new ArrayList<>();
        private final NormFactory inner;

        Recording(NormFactory inner) {
            this.inner = inner;
        }

        @Override
        public Block create(int c) {
            return create(c, true);
        }

        @Override
        public Block create(int c, boolean applyActivation) {
            channels.add(c);
            if (!applyActivation) {
                withoutActivation.add(c);
            }
            return inner.create(c, applyActivation);
        }

        @Override
        public boolean carriesActivation() {
            return inner.carriesActivation();
        }
    }
}
