package org.normlab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** Option A and the residual sum against hand computations on tiny tensors. */
class ZeroPadShortcutTest {

    private static final int N = 2;
    private static final int H = 5;

    /** x[n][c][h][w] = 100n + 10c + h + w / 10, every value distinct. */
    private static float value(int n, int c, int h, int w) {
        return 100 * n + 10 * c + h + w / 10f;
    }

    private static NDArray input(NDManager manager, int channels) {
        float[] data = new float[N * channels * H * H];
        int i = 0;
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < channels; c++) {
                for (int h = 0; h < H; h++) {
                    for (int w = 0; w < H; w++) {
                        data[i++] = value(n, c, h, w);
                    }
                }
            }
        }
        return manager.create(data, new Shape(N, channels, H, H));
    }

    /** pad(x[:, :, ::2, ::2]) written out: output channel c is input channel c - before, or 0. */
    private static float[] expectedShortcut(int in, int out, int before) {
        int size = (H + 1) / 2;
        float[] expected = new float[N * out * size * size];
        int i = 0;
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < out; c++) {
                for (int h = 0; h < size; h++) {
                    for (int w = 0; w < size; w++) {
                        int source = c - before;
                        expected[i++] = source >= 0 && source < in ? value(n, source, 2 * h, 2 * w) : 0f;
                    }
                }
            }
        }
        return expected;
    }

    private static NDArray run(NDManager manager, Block block, NDArray x) {
        block.initialize(manager, DataType.FLOAT32, x.getShape());
        return block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
    }

    @Test
    void subsamplesAndPadsChannelsEquallyOnBothSides() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ZeroPadShortcut shortcut = new ZeroPadShortcut(2, 4, 2);
            NDArray y = run(manager, shortcut, input(manager, 2));
            assertEquals(new Shape(N, 4, 3, 3), y.getShape());
            assertEquals(y.getShape(), shortcut.getOutputShapes(new Shape[] {new Shape(N, 2, H, H)})[0]);
            assertArrayEquals(expectedShortcut(2, 4, 1), y.toFloatArray());
        }
    }

    @Test
    void putsTheOddExtraChannelAfter() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray y = run(manager, new ZeroPadShortcut(3, 6, 2), input(manager, 3));
            assertEquals(new Shape(N, 6, 3, 3), y.getShape());
            assertArrayEquals(expectedShortcut(3, 6, 1), y.toFloatArray());
        }
    }

    @Test
    void residualUnitIsReluOfBodyPlusShortcut() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // A stand-in body that ignores x and returns fixed values of both signs.
            int size = N * 4 * 3 * 3;
            float[] offsets = new float[size];
            for (int i = 0; i < size; i++) {
                offsets[i] = (i % 3 - 1) * 60f;
            }
            Shape outShape = new Shape(N, 4, 3, 3);
            Block body = LambdaBlock.singleton(x -> x.getManager().create(offsets, outShape));
            NDArray y = run(manager, new ResidualUnit(body, new ZeroPadShortcut(2, 4, 2)), input(manager, 2));
            float[] skip = expectedShortcut(2, 4, 1);
            float[] expected = new float[size];
            for (int i = 0; i < size; i++) {
                expected[i] = Math.max(0f, offsets[i] + skip[i]);
            }
            assertArrayEquals(expected, y.toFloatArray(), 1e-4f);
        }
    }
}
