package org.normlab.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * The convolutions that the CPU engine computes correctly, and a check that a model has only
 * those.
 *
 * <p>libtorch 2.7.1 (DJL's pytorch-native-cpu) runs float32 convolutions of a batch of 2 or more
 * on oneDNN 3.7.1, whose direct JIT kernels compute wrong values when a channel count is not a
 * multiple of the kernel's channel block (16 with AVX-512, 8 with AVX2): input gradients off by
 * up to 80% of their scale on every CPU, and on AVX-512 at 2 or more threads different values on
 * every run, now and then NaN, also in the forward pass. Capping the instruction set
 * ({@code DNNL_MAX_CPU_ISA=AVX}) moves the bug to other channel counts rather than removing it.
 * Output channels that are multiples of 16, and input channels that are multiples of 16 or at
 * most 4 (an image stem), were correct on AVX-512 and AVX2 alike. docs/DETERMINISM.md has the
 * measurements and the reproducer ({@code bench/onednn/ConvGradCheck.java}).
 */
public final class CpuConvolutions {

    /** The channel block of oneDNN's AVX-512 kernels; a multiple of AVX2's 8. */
    public static final int CHANNEL_BLOCK = 16;

    /** Input channels up to this many (an RGB or grey image) are computed correctly. */
    public static final int SMALL_INPUT = 4;

    private CpuConvolutions() {}

    /** Whether a convolution from {@code in} to {@code out} channels (per group) computes correctly on CPU. */
    public static boolean safe(long in, long out) {
        return out % CHANNEL_BLOCK == 0 && (in % CHANNEL_BLOCK == 0 || in <= SMALL_INPUT);
    }

    /**
     * Checks every convolution of an initialized model.
     *
     * @throws IllegalArgumentException naming the first convolution whose channels the CPU
     *     engine computes wrongly, and the channel counts that work
     */
    public static void check(Block initializedModel) {
        List<String> problems = new ArrayList<>();
        collect(initializedModel, "", problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.format(
                    "%s: on CPU, libtorch 2.7.1's oneDNN computes such convolutions wrongly (gradients far off, on "
                            + "AVX-512 different on every run, sometimes NaN); give every convolution output channels "
                            + "that are a multiple of %d and input channels that are a multiple of %d or at most %d "
                            + "(see docs/DETERMINISM.md)",
                    String.join("; ", problems), CHANNEL_BLOCK, CHANNEL_BLOCK, SMALL_INPUT));
        }
    }

    private static void collect(Block block, String path, List<String> problems) {
        if (block instanceof Convolution conv) {
            Parameter weight = conv.getParameters().get("weight");
            if (weight == null || !weight.isInitialized()) {
                throw new IllegalStateException("convolution " + path + " is not initialized: initialize the model first");
            }
            Shape w = weight.getArray().getShape(); // (out, in / groups, kernel...)
            long in = w.get(1);
            long out = w.get(0) / conv.getGroups();
            if (!safe(in, out)) {
                String where = path.isEmpty() ? "the model" : "layer " + path;
                problems.add(String.format("%s convolves %d to %d channels%s", where, in * conv.getGroups(), w.get(0),
                        conv.getGroups() > 1 ? " in " + conv.getGroups() + " groups" : ""));
            }
            return;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), path.isEmpty() ? child.getKey() : path + "/" + child.getKey(), problems);
        }
    }
}
