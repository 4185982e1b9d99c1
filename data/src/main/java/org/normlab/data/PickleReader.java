package org.normlab.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads the Python pickles of the CIFAR "python version" archives with razorvine's Unpickler:
 * a dict whose keys are Python 2 strings or Python 3 bytes (they arrive as String or byte[]),
 * holding numpy arrays (rebuilt here from {@code numpy.core.multiarray._reconstruct} and
 * {@code numpy.dtype}, whose raw data arrives as a latin-1 String or as byte[]) and lists.
 */
final class PickleReader {

    static {
        IObjectConstructor array = args -> new NumpyArray();
        Unpickler.registerConstructor("numpy.core.multiarray", "_reconstruct", array);
        Unpickler.registerConstructor("numpy._core.multiarray", "_reconstruct", array);
        Unpickler.registerConstructor("numpy", "dtype", args -> new NumpyDtype(args));
    }

    private PickleReader() {}

    /** A numpy ndarray as pickled by numpy: shape, dtype, order and raw bytes. */
    public static final class NumpyArray {
        int[] shape;
        String dtype;
        boolean fortranOrder;
        byte[] data;

        /** Called by the Unpickler's BUILD with numpy's state tuple. */
        public void __setstate__(Object[] state) {
            // (version, shape, dtype, is_fortran, rawdata); very old numpy omits the version.
            int k = state.length == 5 ? 1 : 0;
            if (state.length - k != 4) {
                throw new PickleException("unexpected numpy array state of length " + state.length);
            }
            Object[] dims = (Object[]) state[k];
            shape = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                shape[i] = ((Number) dims[i]).intValue();
            }
            dtype = state[k + 1] instanceof NumpyDtype d ? d.descriptor() : String.valueOf(state[k + 1]);
            fortranOrder = truthy(state[k + 2]);
            data = bytesOf(state[k + 3]);
        }

        long elements() {
            long n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }
    }

    /** A numpy dtype: its descriptor (for example "u1") and byte order from the state. */
    public static final class NumpyDtype {
        final String name;
        String order = "|";

        NumpyDtype(Object[] args) {
            name = args.length > 0 && args[0] != null ? textOf(args[0]) : "?";
        }

        public void __setstate__(Object[] state) {
            if (state.length > 1 && state[1] != null) {
                order = textOf(state[1]);
            }
        }

        /** Like numpy's dtype.str: order character plus kind and size, for example "|u1". */
        String descriptor() {
            return name.length() > 0 && "<>|=".indexOf(name.charAt(0)) >= 0 ? name : order + name;
        }
    }

    /**
     * Unpickles a dict and returns it with String keys.
     *
     * @param where the file or "archive: member" for messages
     */
    static Map<String, Object> readDict(byte[] pickle, String where) {
        Object value;
        Unpickler unpickler = new Unpickler();
        try {
            value = unpickler.loads(pickle);
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(
                    String.format(
                            "%s: not a readable Python pickle, it is corrupt or truncated (%s: %s)",
                            where, e.getClass().getSimpleName(), e.getMessage()),
                    e);
        } finally {
            unpickler.close();
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw new DatasetException(
                    String.format(
                            "%s: expected a pickled dict, found %s",
                            where, value == null ? "None" : value.getClass().getSimpleName()));
        }
        Map<String, Object> dict = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            dict.put(textOf(e.getKey()), e.getValue());
        }
        return dict;
    }

    /** The 2-d uint8 array under {@code key}, checked to be rows x {@code columns}. */
    static NumpyArray uint8Matrix(Map<String, Object> dict, String key, int columns, String where) {
        Object value = require(dict, key, where);
        if (!(value instanceof NumpyArray a)) {
            throw new DatasetException(
                    String.format(
                            "%s: b'%s' should be a numpy uint8 array, found %s",
                            where, key, value == null ? "None" : value.getClass().getSimpleName()));
        }
        if (!a.dtype.endsWith("u1")) {
            throw new DatasetException(
                    String.format("%s: b'%s' has dtype %s, expected uint8 (u1)", where, key, a.dtype));
        }
        if (a.shape.length != 2 || a.shape[1] != columns) {
            throw new DatasetException(
                    String.format(
                            "%s: b'%s' has shape %s, expected (N, %d)",
                            where, key, java.util.Arrays.toString(a.shape), columns));
        }
        if (a.fortranOrder) {
            throw new DatasetException(
                    where + ": b'" + key + "' is in Fortran order, expected C order");
        }
        if (a.data.length != a.elements()) {
            throw new DatasetException(
                    String.format(
                            "%s: b'%s' announces %d bytes but holds %d",
                            where, key, a.elements(), a.data.length));
        }
        return a;
    }

    /** The integer list (or 1-d integer numpy array) under {@code key}. */
    static int[] intList(Map<String, Object> dict, String key, String where) {
        Object value = require(dict, key, where);
        if (value instanceof List<?> list) {
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new DatasetException(
                            String.format(
                                    "%s: b'%s'[%d] should be an integer, found %s",
                                    where, key, i, list.get(i)));
                }
                out[i] = n.intValue();
            }
            return out;
        }
        if (value instanceof NumpyArray a && a.shape.length == 1) {
            return integers(a, key, where);
        }
        throw new DatasetException(
                String.format(
                        "%s: b'%s' should be a list of integers, found %s",
                        where, key, value == null ? "None" : value.getClass().getSimpleName()));
    }

    /** The list of strings under {@code key} (class names), or null when absent. */
    static List<String> optionalStrings(Map<String, Object> dict, String key) {
        if (!(dict.get(key) instanceof List<?> list)) {
            return null;
        }
        return list.stream().map(PickleReader::textOf).toList();
    }

    private static int[] integers(NumpyArray a, String key, String where) {
        int size;
        ByteOrder order = a.dtype.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String kind = a.dtype.substring(a.dtype.length() - 2);
        switch (kind) {
            case "u1", "i1" -> size = 1;
            case "i2", "u2" -> size = 2;
            case "i4", "u4" -> size = 4;
            case "i8", "u8" -> size = 8;
            default -> throw new DatasetException(
                    String.format("%s: b'%s' has dtype %s, expected integers", where, key, a.dtype));
        }
        int n = a.shape[0];
        if (a.data.length != (long) n * size) {
            throw new DatasetException(
                    String.format(
                            "%s: b'%s' announces %d values of %d bytes but holds %d bytes",
                            where, key, n, size, a.data.length));
        }
        ByteBuffer b = ByteBuffer.wrap(a.data).order(order);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] =
                    switch (size) {
                        case 1 -> kind.startsWith("u") ? b.get() & 0xFF : b.get();
                        case 2 -> kind.startsWith("u") ? b.getShort() & 0xFFFF : b.getShort();
                        case 4 -> b.getInt();
                        default -> Math.toIntExact(b.getLong());
                    };
        }
        return out;
    }

    private static Object require(Map<String, Object> dict, String key, String where) {
        if (!dict.containsKey(key)) {
            throw new DatasetException(
                    String.format(
                            "%s: the pickled dict has no key b'%s' (keys found: %s)",
                            where, key, dict.keySet()));
        }
        return dict.get(key);
    }

    private static boolean truthy(Object o) {
        if (o instanceof Boolean b) {
            return b;
        }
        return o instanceof Number n && n.intValue() != 0;
    }

    /** Python 2 str arrives as a String of latin-1 chars, Python 3 bytes as byte[]. */
    static byte[] bytesOf(Object o) {
        if (o instanceof byte[] b) {
            return b;
        }
        if (o instanceof String s) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        throw new PickleException(
                "expected bytes, found " + (o == null ? "None" : o.getClass().getSimpleName()));
    }

    static String textOf(Object o) {
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        return String.valueOf(o);
    }
}
