package org.normlab.norm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Constant arrays that layers and optimizers need on every call, made once per (device, type,
 * value) and shared: nobody writes them and they are never closed (a few floats each). Use them
 * instead of DJL's NDArray-Number overloads ({@code x.mul(2f)}) on every hot path.
 *
 * <p>They live in engine memory. The Number overloads instead wrap the number in an array over a
 * new direct Java buffer and close the array at once. Autograd may keep that array for the
 * backward pass, which then reads memory the garbage collector may have reused; and the buffers
 * (hundreds per training step) are freed only when the collector runs, scattering small live
 * blocks through the native heap: resident memory then grew from 0.7 to 1.9 GB over the first
 * 150 steps of ResNet-20 (BENCHMARKS.md).
 */
public final class EngineConstants {

    private static final Map<Device, NDManager> OWNERS = new ConcurrentHashMap<>();
    private static final Map<Key, NDArray> ARRAYS = new ConcurrentHashMap<>();

    private EngineConstants() {}

    /** A scalar of like's type on like's device, value rounded once, from double. */
    public static NDArray scalar(NDArray like, double value) {
        return cached(like, "scalar", Double.doubleToLongBits(value), m -> {
            NDArray exact = float64In(m, value);
            if (exact.getDataType() == like.getDataType()) {
                return exact;
            }
            NDArray typed = exact.toType(like.getDataType(), false);
            exact.close();
            return typed;
        });
    }

    /** A 0-dim float64 scalar on like's device (a module argument that PyTorch reads as a double). */
    public static NDArray float64(NDArray like, double value) {
        return cached(like, "float64", Double.doubleToLongBits(value), m -> float64In(m, value));
    }

    private static NDArray float64In(NDManager m, double value) {
        // create(double) lives in a Java buffer and toType keeps the memory when the type
        // matches: duplicate() is what copies into engine memory.
        try (NDArray javaBuffer = m.create(value)) {
            return javaBuffer.duplicate();
        }
    }

    /** Zeros of shape (length), like's type, on like's device. */
    public static NDArray zeros(NDArray like, long length) {
        return cached(like, "zeros", length, m -> m.zeros(new Shape(length), like.getDataType()));
    }

    /** Ones of shape (length), like's type, on like's device. */
    public static NDArray ones(NDArray like, long length) {
        return cached(like, "ones", length, m -> m.ones(new Shape(length), like.getDataType()));
    }

    /** What a constant is: its device and type, a kind ("ones") and a value (a length, a double's bits). */
    private record Key(Device device, DataType type, String kind, long value) {}

    private static NDArray cached(NDArray like, String kind, long value, Function<NDManager, NDArray> make) {
        Device device = like.getDevice();
        Key key = new Key(device, like.getDataType(), kind, value);
        NDArray array = ARRAYS.get(key);
        if (array == null || array.isReleased()) {
            NDManager owner = OWNERS.compute(device, (d, m) -> m == null || !m.isOpen()
                    ? like.getManager().getEngine().newBaseManager(d)
                    : m);
            array = make.apply(owner);
            ARRAYS.put(key, array);
        }
        return array;
    }
}
