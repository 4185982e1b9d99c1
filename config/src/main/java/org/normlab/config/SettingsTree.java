package org.normlab.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.normlab.results.UserError;
import org.normlab.norm.Spelling;

/**
 * The settings as a tree: defaults.yaml (read once), deep merges, dotted keys, which keys exist,
 * and the trial id that hashes a resolved tree.
 */
final class SettingsTree {

    private SettingsTree() {}

    /** defaults.yaml, read once; callers that change it get {@link #defaults()}'s copy. */
    private static final ObjectNode DEFAULTS = readDefaults();

    private static ObjectNode readDefaults() {
        try (Reader r = new InputStreamReader(
                SettingsTree.class.getResourceAsStream("defaults.yaml"), StandardCharsets.UTF_8)) {
            return (ObjectNode) LocatedYaml.YAML.readTree(r);
        } catch (IOException e) {
            throw new IllegalStateException("defaults.yaml is missing from the jar", e);
        }
    }

    static ObjectNode defaults() {
        return DEFAULTS.deepCopy();
    }

    /** Deep-merges {@code over} into {@code base}: objects merge, everything else replaces. */
    static void merge(ObjectNode base, ObjectNode over) {
        over.fields().forEachRemaining(e -> {
            JsonNode old = base.get(e.getKey());
            if (old != null && old.isObject() && e.getValue().isObject() && !e.getKey().equals("options")) {
                merge((ObjectNode) old, (ObjectNode) e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        });
    }

    static void setDotted(ObjectNode root, String dotted, JsonNode value, Located where) {
        String[] parts = dotted.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(parts[i]);
            }
            if (!child.isObject()) {
                throw new UserError(where + ": '" + String.join(".", java.util.Arrays.copyOf(parts, i + 1))
                        + "' is a single value, so '" + dotted + "' cannot be set");
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    /** What is wrong with a dotted key, or null when it names a setting. */
    static String keyProblem(String dotted) {
        JsonNode node = DEFAULTS;
        String[] parts = dotted.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            if (node.isObject() && node.has(parts[i])) {
                node = node.get(parts[i]);
                if (parts[i].equals("options") && i >= 1) {
                    return null;
                }
                continue;
            }
            List<String> known = new ArrayList<>();
            node.fieldNames().forEachRemaining(known::add);
            String prefix = String.join(".", java.util.Arrays.copyOf(parts, i));
            List<String> candidates = known.stream().map(k -> prefix.isEmpty() ? k : prefix + "." + k).toList();
            return String.format("unknown setting '%s'%s; %s",
                    dotted, Spelling.hint(dotted, candidates),
                    known.isEmpty() ? "'" + prefix + "' has no sub-settings"
                            : "known keys" + (prefix.isEmpty() ? "" : " under '" + prefix + "'") + ": " + String.join(", ", known));
        }
        return null;
    }

    /**
     * Settings added after trial ids existed, with the default that leaves a trial as it was:
     * left out of the id at that default, so that adding them renamed no existing trial.
     */
    private static final Map<String, Boolean> LATER_SWITCHES = Map.of("log.layers.batch_noise", false);

    /** A stable id of the resolved settings and the seed: 10 hex digits of SHA-256. */
    static String trialId(ObjectNode resolved, long seed) {
        try {
            ObjectNode keyed = resolved.deepCopy();
            keyed.put("seed", seed);
            LATER_SWITCHES.forEach((dotted, neutral) -> {
                int dot = dotted.lastIndexOf('.');
                JsonNode parent = keyed.at("/" + dotted.substring(0, dot).replace('.', '/'));
                String leaf = dotted.substring(dot + 1);
                if (parent instanceof ObjectNode object && object.path(leaf).isBoolean()
                        && object.path(leaf).booleanValue() == neutral) {
                    object.remove(leaf);
                }
            });
            byte[] canonical = TrialBinder.MAPPER.writeValueAsBytes(TrialBinder.MAPPER.treeToValue(keyed, Object.class));
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical);
            return HexFormat.of().formatHex(hash).substring(0, 10);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
