package org.normlab.norm.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's group-norm kernel (TorchGroupNorm, through TorchScript) against the portable path
 * (the engine's layer norm per group row, then the affine as separate ops), which the layer takes
 * for an input whose name DJL's module call would misread. Two independent computations of one
 * formula: in float64 they agree to rounding on the output and every gradient. The fixtures of
 * GroupNormConformanceTest check the kernel path against torch.nn.GroupNorm itself.
 */
class TorchGroupNormTest {

    /** A name that DJL's module call would read as a dict key, so the layer avoids the module. */
    private static final String DOTTED = "input.0";

    @Test
    void theLayerRunsTorchsGroupNormKernelWithItsOwnBackward() {
        try (NDManager m = NDManager.newBaseManager()) {
            Run run = Run.of(m, new Shape(4, 6, 3, 3), 3, true, DataType.FLOAT32, null);
            assertTrue(run.gradFn.contains("NativeGroupNormBackward"), run.gradFn);
            Run portable = Run.of(m, new Shape(4, 6, 3, 3), 3, true, DataType.FLOAT32, DOTTED);
            assertFalse(portable.gradFn.contains("NativeGroupNormBackward"), portable.gradFn);
            assertEquals("AddBackward0", portable.gradFn); // its last op: the affine's shift
        }
    }

    @Test
    void kernelAndPortablePathAgreeInFloat64() {
        record Case(Shape shape, int groups, boolean affine) {}
        List<Case> cases = List.of(
                new Case(new Shape(6, 8, 5, 3), 4, true),   // images
                new Case(new Shape(6, 8, 5, 3), 1, true),   // ln: one group
                new Case(new Shape(6, 8, 5, 3), 8, false),  // in: a group per channel, no affine
                new Case(new Shape(5, 6, 9), 3, true),      // sequences
                new Case(new Shape(8, 6), 2, true),         // flat features
                new Case(new Shape(2, 4, 1, 1), 2, true));  // 1x1 maps
        for (Case c : cases) {
            try (NDManager m = NDManager.newBaseManager()) {
                Run kernel = Run.of(m, c.shape, c.groups, c.affine, DataType.FLOAT64, null);
                Run portable = Run.of(m, c.shape, c.groups, c.affine, DataType.FLOAT64, DOTTED);
                assertTrue(kernel.gradFn.contains("NativeGroupNormBackward"), c + ": " + kernel.gradFn);
                assertEquals(kernel.values.size(), portable.values.size(), c::toString);
                for (int i = 0; i < kernel.values.size(); i++) {
                    assertArrayEquals(portable.values.get(i), kernel.values.get(i), 1e-10, c + ", quantity " + i);
                }
            }
        }
        assertEquals(6, cases.size());
    }

    @Test
    void repeatedCallsGiveTheSameValues() {
        // TorchScript's executor profiles a method's first runs and may then rewrite its graph
        // (its own autodiff included): the tenth call must give what the first gave.
        try (NDManager m = NDManager.newBaseManager()) {
            Run first = Run.of(m, new Shape(8, 16, 4, 4), 4, true, DataType.FLOAT32, null);
            for (int call = 2; call <= 10; call++) {
                Run again = Run.of(m, new Shape(8, 16, 4, 4), 4, true, DataType.FLOAT32, null);
                for (int i = 0; i < first.values.size(); i++) {
                    assertArrayEquals(first.values.get(i), again.values.get(i), 0.0, "call " + call + ", quantity " + i);
                }
                assertEquals(first.gradFn, again.gradFn);
            }
        }
    }

    /** One training forward and backward of a GroupNormLayer on fixed random data (seeded). */
    private record Run(List<double[]> values, String gradFn) {

        static Run of(NDManager m, Shape shape, int groups, boolean affine, DataType type, String inputName) {
            m.getEngine().setRandomSeed(7);
            NDArray x = m.randomNormal(shape).mul(2).add(0.5).toType(type, false);
            NDArray upstream = m.randomNormal(shape).toType(type, false);
            GroupNormLayer layer = new GroupNormLayer(groups, 1e-5, affine);
            layer.initialize(m, type, shape);
            for (Parameter p : layer.getParameters().values()) {
                NDArray value = p.getArray();
                value.set(new NDIndex(":"), m.randomUniform(0.5f, 1.5f, value.getShape()).toType(type, false));
            }
            if (inputName != null) {
                x.setName(inputName);
            }
            x.setRequiresGradient(true);
            List<double[]> values = new ArrayList<>();
            String gradFn;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = layer.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                gradFn = JniUtils.getGradientFunctionNames((PtNDArray) y);
                values.add(y.toType(DataType.FLOAT64, false).toDoubleArray());
                gc.backward(y.mul(upstream).sum());
            }
            values.add(x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
            for (Parameter p : layer.getParameters().values()) {
                values.add(p.getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
            }
            return new Run(values, gradFn);
        }
    }
}
