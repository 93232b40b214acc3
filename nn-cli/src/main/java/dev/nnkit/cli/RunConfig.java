package dev.nnkit.cli;

import dev.nnkit.io.json.StrictJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A run's resolved config, saved as {@code DIR/config.json}: the config file with every
 * command-line change written in ({@code --set}, {@code --seed}, {@code --epochs}, {@code --data},
 * {@code --validation}) and data paths made absolute, so that {@code nn train --resume DIR} needs
 * nothing else and {@code nn train --config DIR/config.json} repeats the run. A top-level
 * {@code writtenBy} says where it came from; the config reader ignores it, and {@code --overwrite}
 * recognises the file by it.
 */
final class RunConfig {
    static final String FILE = "config.json";
    static final String WRITTEN_BY = "writtenBy";
    private static final List<String> DATA_FILES = List.of("train", "trainLabels", "validation", "validationLabels");

    private RunConfig() {
    }

    /**
     * Writes the command-line changes into {@code tree} (the config {@code source} read, overrides
     * applied) and makes its data paths absolute.
     *
     * @param overrides the options as typed, for {@code writtenBy}
     */
    static void resolve(ObjectNode tree, Path source, Integer epochs, Long seed, Path data, Path validation,
                        List<String> overrides) {
        Path dir = source.toAbsolutePath().getParent();
        JsonNode dataNode = tree.get("data");
        if (dataNode instanceof ObjectNode d) {
            for (String key : DATA_FILES) {
                if (d.get(key) != null && d.get(key).isString()) {
                    d.put(key, dir.resolve(d.get(key).asString()).normalize().toString());
                }
            }
            if (data != null) {
                d.put("train", data.toAbsolutePath().normalize().toString());
            }
            if (validation != null) {
                d.put("validation", validation.toAbsolutePath().normalize().toString());
                d.remove("validationSplit");
            }
        }
        if (epochs != null || seed != null) {
            JsonNode t = tree.get("training");
            ObjectNode training = t instanceof ObjectNode o ? o : tree.putObject("training");
            if (epochs != null) {
                training.put("maxEpochs", epochs);
            }
            if (seed != null) {
                training.put("seed", seed);
            }
        }
        JsonNode previous = tree.get(WRITTEN_BY); // a run's own config.json, read back on --resume
        ObjectNode by = JsonNodeFactory.instance.objectNode();
        by.put("command", "nn train " + NnCommand.VERSION);
        by.put("config", previous != null && previous.path("config").isString() ? previous.get("config").asString()
                : source.toAbsolutePath().normalize().toString());
        ArrayNode changes = by.putArray("overrides");
        if (previous != null && previous.path("overrides").isArray()) {
            previous.get("overrides").forEach(changes::add);
        }
        overrides.forEach(changes::add);
        tree.remove(WRITTEN_BY);
        ObjectNode rest = tree.deepCopy();
        tree.removeAll();
        tree.set(WRITTEN_BY, by); // first, where --overwrite's peek at the file's head finds it
        tree.setAll(rest);
    }

    /**
     * What identifies the run's training, for its checkpoints: SHA-256 of the resolved config with
     * its keys sorted, leaving out {@code writtenBy}, {@code training.maxEpochs} (a finished run
     * continues with more epochs) and the data paths (the data's content has a fingerprint of its
     * own, so moved data is the same data).
     */
    static String hash(ObjectNode tree) {
        ObjectNode h = tree.deepCopy();
        h.remove(WRITTEN_BY);
        if (h.get("training") instanceof ObjectNode t) {
            t.remove("maxEpochs");
        }
        if (h.get("data") instanceof ObjectNode d) {
            d.remove(DATA_FILES);
        }
        try {
            byte[] canonical = StrictJson.mapper().writeValueAsBytes(sorted(h));
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(n.properties());
            fields.sort(Map.Entry.comparingByKey());
            fields.forEach(e -> out.set(e.getKey(), sorted(e.getValue())));
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            n.forEach(x -> out.add(sorted(x)));
            return out;
        }
        return n;
    }

    /** Writes DIR/config.json atomically (aside, then renamed). */
    static void write(Path dir, ObjectNode tree) throws IOException {
        Path file = dir.resolve(FILE);
        Path tmp = dir.resolve("." + FILE + ".tmp");
        try {
            Files.write(tmp, StrictJson.mapper().writer().with(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(tree).concat("\n").getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
