package dev.nnkit.io.json;

import dev.nnkit.io.InvalidFileException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one JSON parser nnkit reads files with: duplicate keys rejected, and tight limits on
 * nesting, string, number and document size, because model and config files come from strangers.
 */
public final class StrictJson {
    /** Configs, model descriptions and safetensors headers are small. */
    public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
                            .maxStringLength(1 << 20).maxNumberLength(64).maxDocumentLength(64L << 20)
                            .maxNameLength(4096).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .build();

    /** The same limits for configs written in YAML. */
    public static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
                            .maxStringLength(1 << 20).maxNumberLength(64).maxDocumentLength(8L << 20)
                            .maxNameLength(4096).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .build();

    private StrictJson() {
    }

    /** Parses YAML {@code bytes} from {@code file} with the same rules as JSON. */
    public static JsonNode parseYaml(Path file, byte[] bytes) throws InvalidFileException {
        try {
            JsonNode n = YAML.readTree(bytes);
            if (n == null || n.isMissingNode() || n.isNull()) {
                throw new InvalidFileException(file, "", "the file is empty; expected a YAML mapping.");
            }
            return n;
        } catch (JacksonException e) {
            var loc = e.getLocation();
            String place = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new InvalidFileException(file, place, "not valid YAML: " + reason(e));
        }
    }

    /** Parses {@code text} (already decoded) from {@code file}, with the same rules and messages. */
    public static JsonNode parse(Path file, String text, String what) throws InvalidFileException {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new InvalidFileException(file, "", what + " is empty; expected a JSON object.");
            }
            return n;
        } catch (JacksonException e) {
            var loc = e.getLocation();
            String place = loc == null ? what : (what.isEmpty() ? "" : what + " ") + "line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr();
            throw new InvalidFileException(file, place, "not valid JSON: " + reason(e));
        }
    }

    /**
     * Parses {@code bytes} from {@code file}.
     *
     * @throws InvalidFileException with the line and column of a syntax error or duplicate key
     */
    public static JsonNode parse(Path file, byte[] bytes, String what) throws InvalidFileException {
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw new InvalidFileException(file, "", what + " is empty; expected a JSON object.");
            }
            return n;
        } catch (JacksonException e) {
            var loc = e.getLocation();
            String place = loc == null ? what : (what.isEmpty() ? "" : what + " ") + "line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr();
            throw new InvalidFileException(file, place, "not valid JSON: " + reason(e));
        }
    }

    /** The parser's reason without the Java names it adds to limits ("from `StreamReadConstraints.…`"). */
    private static String reason(JacksonException e) {
        String m = String.valueOf(e.getOriginalMessage()).replaceAll(",? from `[^`]*`", "");
        return m.length() <= 300 ? m : m.substring(0, 297) + "...";
    }
}
