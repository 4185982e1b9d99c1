package org.normlab.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.results.AtomicFiles;
import org.normlab.results.Provenance;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialResult;

/**
 * A trial's resume state, {@code checkpoints/resume.ckpt} (RESULTS-FORMAT.md): one file, written
 * atomically over the previous one. It starts with a magic line and a JSON header (what it belongs
 * to, the loop's position, the history so far), then the model's parameters and SGD's momentum
 * buffers as DJL-encoded arrays.
 *
 * @param identity what the checkpoint belongs to; a trial uses a checkpoint only when its own is equal
 * @param history the epochs recorded so far
 */
public record ResumeCheckpoint(Identity identity, List<TrialResult.Epoch> history, Snapshot snapshot) {

    /**
     * What a checkpoint belongs to.
     *
     * @param key the trial id and the hash of its resolved settings
     * @param provenance the code that wrote it (NormLab's version and commit, the norm providers' jars)
     */
    public record Identity(Map<String, String> key, Provenance provenance) {}

    public static final String FILE = "resume.ckpt";
    private static final byte[] MAGIC = "NormLab resume checkpoint 1\n".getBytes(StandardCharsets.US_ASCII);

    /** The JSON part. */
    private record Header(Map<String, String> key, Provenance provenance, Snapshot.Position position,
            List<Long> randomStreams, List<TrialResult.Epoch> history) {}

    public void write(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            writeBlock(out, ResultStore.JSON.writeValueAsBytes(
                    new Header(identity.key(), identity.provenance(), snapshot.position(), snapshot.randomStreams(), history)));
            out.writeInt(snapshot.parameters().size());
            for (Map.Entry<String, byte[]> p : snapshot.parameters().entrySet()) {
                out.writeUTF(p.getKey());
                writeBlock(out, p.getValue());
            }
            out.writeInt(snapshot.momentum().size());
            for (byte[] m : snapshot.momentum()) {
                writeBlock(out, m);
            }
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /** The header's identity alone, cheap to check before the whole file is read. */
    public static Identity readIdentity(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            JsonNode header = ResultStore.JSON.readTree(readBlock(in));
            return new Identity(
                    ResultStore.JSON.convertValue(header.path("key"), new TypeReference<Map<String, String>>() {}),
                    ResultStore.JSON.treeToValue(header.path("provenance"), Provenance.class));
        }
    }

    public static ResumeCheckpoint read(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            Header h = ResultStore.JSON.readValue(readBlock(in), Header.class);
            int n = in.readInt();
            Map<String, byte[]> parameters = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                parameters.put(in.readUTF(), readBlock(in));
            }
            int m = in.readInt();
            List<byte[]> momentum = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                momentum.add(readBlock(in));
            }
            if (in.read() != -1) {
                throw new IOException(file + ": data after the last momentum buffer");
            }
            return new ResumeCheckpoint(new Identity(h.key(), h.provenance()), h.history(), new Snapshot(h.position(), parameters, momentum, h.randomStreams()));
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(raw);
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            in.close();
            throw new IOException(file + " is not a NormLab resume checkpoint (format 1)");
        }
        return in;
    }

    /** A length (-1 for null) and that many bytes. */
    private static void writeBlock(DataOutputStream out, byte[] block) throws IOException {
        out.writeInt(block == null ? -1 : block.length);
        if (block != null) {
            out.write(block);
        }
    }

    private static byte[] readBlock(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < -1) {
            throw new IOException("a negative block length");
        }
        if (n == -1) {
            return null;
        }
        byte[] block = in.readNBytes(n);
        if (block.length != n) {
            throw new java.io.EOFException("the file ends inside a block");
        }
        return block;
    }
}
