package org.normlab.norm.group;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.normlab.norm.EngineConstants;

/**
 * {@code torch.group_norm}, the kernel behind {@code torch.nn.GroupNorm}, on the PyTorch engine:
 * one engine call forward and one backward, where DJL's own ops take a reshape, a layer norm and
 * a per-channel affine (about 12 more engine calls per layer and step; BENCHMARKS.md, "GroupNorm on
 * the engine's kernel"). DJL has no group-norm op, so the call goes through a one-op TorchScript
 * module (resource {@code group_norm_op.pt}, written by src/main/torchscript/make_group_norm_op.py)
 * run in training mode, which records autograd like any eager op.
 */
final class TorchGroupNorm {

    private static final String ARCHIVE = "group_norm_op.pt";
    private static volatile PtSymbolBlock module;

    private TorchGroupNorm() {}

    /**
     * Whether x can take this path: a PyTorch array, and no input name that DJL's module call
     * would read as a list, tuple, dict or method name (any name with '.', '[' or '(' or ':').
     */
    static boolean supports(NDArray x, NDArray weight, NDArray bias) {
        return x instanceof PtNDArray && plainName(x) && plainName(weight) && plainName(bias);
    }

    /** {@code torch.group_norm(x, groups, weight, bias, eps)}; weight and bias of shape (C). */
    static NDArray apply(NDArray x, int groups, NDArray weight, NDArray bias, double eps) {
        NDList inputs = new NDList(
                x, weight, bias,
                EngineConstants.zeros(x, groups), // read for its length: the group count
                EngineConstants.float64(x, eps));
        // isTrain = true: the module runs under the caller's grad mode, as an eager op would.
        return IValueUtils.forward(module(x.getManager()), inputs, true).singletonOrThrow();
    }

    private static boolean plainName(NDArray a) {
        String name = a.getName();
        return name == null || name.chars().noneMatch(c -> c == '.' || c == '[' || c == '(' || c == ':');
    }

    private static PtSymbolBlock module(NDManager like) {
        PtSymbolBlock m = module;
        if (m == null) {
            synchronized (TorchGroupNorm.class) {
                m = module;
                if (m == null) {
                    module = m = load(like);
                }
            }
        }
        return m;
    }

    private static PtSymbolBlock load(NDManager like) {
        // The module holds no tensors: it runs on whatever device its inputs are on. Its manager
        // lives as long as the process.
        PtNDManager owner = (PtNDManager) like.getEngine().newBaseManager();
        try (InputStream in = TorchGroupNorm.class.getResourceAsStream(ARCHIVE)) {
            if (in == null) {
                throw new EngineException("resource " + ARCHIVE + " is missing from norm-group's jar");
            }
            return JniUtils.loadModule(owner, in, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ARCHIVE, e);
        }
    }
}
