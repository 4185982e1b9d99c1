package org.normlab.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Writes small files in the official formats, opcode by opcode, independently of the readers:
 * IDX (gzip), CIFAR pickles as Python 2's cPickle wrote them (protocol 2, str keys as
 * SHORT_BINSTRING, numpy raw data as BINSTRING; the official archives were made this way) and as
 * Python 3 writes protocol 2 (bytes as {@code _codecs.encode(unicode, 'latin1')}), CIFAR binary
 * records, and .tar.gz archives.
 */
final class OfficialFormats {

    private OfficialFormats() {}

    // ------------------------------------------------------------------ IDX

    static byte[] idxImages(int count, int rows, int cols, byte[] pixels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    static byte[] idxLabels(int[] labels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000801);
            out.writeInt(labels.length);
            for (int l : labels) {
                out.writeByte(l);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    // ------------------------------------------------------------------ pickles

    /** A numpy uint8 array of shape (rows, cols) to put in a pickled dict. */
    record UInt8Matrix(int rows, int cols, byte[] data) {}

    /** A pickle dialect: how str/bytes are written. */
    enum Dialect { PYTHON2, PYTHON3 }

    /**
     * A pickled dict (protocol 2) in insertion order. Values: int[] (list of ints), List of
     * String (list of str/bytes), UInt8Matrix (numpy array), String (str/bytes).
     */
    static byte[] pickleDict(Map<String, Object> dict, Dialect dialect) {
        Writer w = new Writer(dialect);
        w.op(0x80).op(2); // PROTO 2
        w.op('}'); // EMPTY_DICT
        w.op('('); // MARK
        for (Map.Entry<String, Object> e : dict.entrySet()) {
            w.bytes(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
            w.value(e.getValue());
        }
        w.op('u'); // SETITEMS
        w.op('.'); // STOP
        return w.out.toByteArray();
    }

    static Map<String, Object> dict(Object... keyValues) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            d.put((String) keyValues[i], keyValues[i + 1]);
        }
        return d;
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Dialect dialect;

        Writer(Dialect dialect) {
            this.dialect = dialect;
        }

        Writer op(int code) {
            out.write(code);
            return this;
        }

        void raw(byte[] b) {
            out.write(b, 0, b.length);
        }

        void int32(int v) {
            out.write(v);
            out.write(v >>> 8);
            out.write(v >>> 16);
            out.write(v >>> 24);
        }

        void integer(int v) {
            if (v >= 0 && v < 256) {
                op('K').op(v); // BININT1
            } else if (v >= 0 && v < 65536) {
                op('M').op(v & 0xFF).op(v >>> 8); // BININT2
            } else {
                op('J'); // BININT
                int32(v);
            }
        }

        void global(String module, String name) {
            op('c');
            raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        /** A Python 2 str, or a Python 3 str (unicode). */
        void text(String s) {
            if (dialect == Dialect.PYTHON2) {
                bytes2(s.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                op('X'); // BINUNICODE
                int32(utf8.length);
                raw(utf8);
            }
        }

        /** Python 2: str (SHORT_BINSTRING/BINSTRING); Python 3: bytes via _codecs.encode. */
        void bytes(byte[] b) {
            if (dialect == Dialect.PYTHON2) {
                bytes2(b);
            } else {
                global("_codecs", "encode");
                text(new String(b, StandardCharsets.ISO_8859_1));
                text("latin1");
                op(0x86); // TUPLE2
                op('R'); // REDUCE
            }
        }

        private void bytes2(byte[] b) {
            if (b.length < 256) {
                op('U').op(b.length); // SHORT_BINSTRING
            } else {
                op('T'); // BINSTRING
                int32(b.length);
            }
            raw(b);
        }

        void value(Object v) {
            if (v instanceof int[] ints) {
                op(']'); // EMPTY_LIST
                if (ints.length > 0) {
                    op('(');
                    for (int i : ints) {
                        integer(i);
                    }
                    op('e'); // APPENDS
                }
            } else if (v instanceof List<?> strings) {
                op(']');
                op('(');
                for (Object s : strings) {
                    bytes(((String) s).getBytes(StandardCharsets.ISO_8859_1));
                }
                op('e');
            } else if (v instanceof String s) {
                bytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else if (v instanceof UInt8Matrix m) {
                ndarray(m);
            } else {
                throw new IllegalArgumentException("cannot pickle " + v);
            }
        }

        /** numpy's ndarray.__reduce__: _reconstruct(ndarray, (0,), b'b') then BUILD(state). */
        void ndarray(UInt8Matrix m) {
            global(dialect == Dialect.PYTHON2 ? "numpy.core.multiarray" : "numpy._core.multiarray",
                    "_reconstruct");
            global("numpy", "ndarray");
            integer(0);
            op(0x85); // TUPLE1
            bytes(new byte[] {'b'});
            op(0x87); // TUPLE3
            op('R');
            op('('); // state tuple
            integer(1);
            integer(m.rows());
            integer(m.cols());
            op(0x86); // shape TUPLE2
            global("numpy", "dtype");
            text("u1");
            if (dialect == Dialect.PYTHON2) {
                integer(0);
                integer(1);
            } else {
                op(0x89); // NEWFALSE
                op(0x88); // NEWTRUE
            }
            op(0x87);
            op('R');
            op('(');
            integer(3);
            text("|");
            op('N').op('N').op('N');
            op('J');
            int32(-1);
            op('J');
            int32(-1);
            integer(0);
            op('t'); // TUPLE
            op('b'); // BUILD dtype
            op(0x89); // is_fortran False
            bytes(m.data());
            op('t');
            op('b'); // BUILD array
        }
    }

    // ------------------------------------------------------------------ CIFAR binary

    /** Records of label bytes then 3072 pixels. */
    static byte[] cifarRecords(int[][] labelBytes, byte[] pixels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < labelBytes.length; i++) {
            for (int l : labelBytes[i]) {
                out.write(l);
            }
            out.write(pixels, i * 3072, 3072);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ tar.gz

    static void tarGz(Path archive, Map<String, byte[]> members) throws IOException {
        try (OutputStream file = Files.newOutputStream(archive);
                GzipCompressorOutputStream gz = new GzipCompressorOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            java.util.Set<String> dirs = new java.util.HashSet<>();
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                String name = m.getKey();
                int slash = name.lastIndexOf('/');
                if (slash > 0 && dirs.add(name.substring(0, slash + 1))) {
                    tar.putArchiveEntry(new TarArchiveEntry(name.substring(0, slash + 1)));
                    tar.closeArchiveEntry();
                }
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(m.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(m.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    /** Writes each member as a file under {@code root} (an extracted archive). */
    static void extract(Path root, Map<String, byte[]> members) throws IOException {
        for (Map.Entry<String, byte[]> m : members.entrySet()) {
            Path file = root.resolve(m.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, m.getValue());
        }
    }
}
