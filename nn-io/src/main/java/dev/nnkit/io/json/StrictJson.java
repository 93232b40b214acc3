package dev.nnkit.io.json;

import dev.nnkit.io.InvalidFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON parser nnkit reads files with: duplicate keys rejected, and tight limits on
 * nesting, string, number and document size, because model and config files come from strangers.
 */
public final class StrictJson {
    /** Configs, model descriptions and safetensors headers are small. */
    private static final JsonFactory FACTORY = JsonFactory.builder().streamReadConstraints(limits(64L << 20))
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * A mapper with the same rules, for writing trees and for callers that need databind. Made on
     * first use: reading files goes through {@link JsonTrees}, so loading a model never pays for
     * the mapper's initialisation.
     */
    public static JsonMapper mapper() {
        return MapperHolder.MAPPER;
    }

    private static final class MapperHolder {
        static final JsonMapper MAPPER = JsonMapper.builder(FACTORY).build();
    }

    /** Nesting, string, number and name limits for files from strangers, up to {@code maxDocument} bytes. */
    static StreamReadConstraints limits(long maxDocument) {
        return StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).maxNumberLength(64)
                .maxDocumentLength(maxDocument).maxNameLength(4096).build();
    }

    private StrictJson() {
    }

    /**
     * Parses YAML {@code bytes} from {@code file} with the same rules as JSON.
     *
     * @throws InvalidFileException also when Jackson's YAML module is not on the path, saying how to add it
     */
    public static JsonNode parseYaml(Path file, byte[] bytes) throws InvalidFileException {
        if (!yamlPresent()) {
            throw new InvalidFileException(file, "", "reading a YAML config needs Jackson's YAML module"
                    + " (tools.jackson.dataformat:jackson-dataformat-yaml, which the nn command has) on the class or"
                    + " module path: add it to the application (on the module path, also --add-modules"
                    + " tools.jackson.dataformat.yaml), or write the config as JSON.");
        }
        return StrictYaml.parse(file, bytes);
    }

    /**
     * Whether Jackson's YAML module is there: it is optional, and an app that only predicts leaves it
     * out. Asked only when a YAML file is read: looking the class up loads most of Jackson's mapper
     * (about 60 ms of a cold start).
     */
    private static boolean yamlPresent() {
        try {
            Class<?> yaml = Class.forName("tools.jackson.dataformat.yaml.YAMLMapper", false, StrictJson.class.getClassLoader());
            return StrictJson.class.getModule().canRead(yaml.getModule()); // on the class path, always
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Parses {@code text} (already decoded) from {@code file}, with the same rules and messages. */
    public static JsonNode parse(Path file, String text, String what) throws InvalidFileException {
        try {
            JsonNode n = read(text);
            if (n == null || n.isMissingNode()) {
                throw new InvalidFileException(file, "", what + " is empty; expected a JSON object.");
            }
            return n;
        } catch (JacksonException e) {
            throw invalid(file, what, e, text);
        }
    }

    /**
     * Parses {@code bytes} from {@code file}.
     *
     * @throws InvalidFileException with the line and column of a syntax error or duplicate key
     */
    public static JsonNode parse(Path file, byte[] bytes, String what) throws InvalidFileException {
        try {
            JsonNode n = read(bytes);
            if (n == null || n.isMissingNode()) {
                throw new InvalidFileException(file, "", what + " is empty; expected a JSON object.");
            }
            return n;
        } catch (JacksonException e) {
            throw invalid(file, what, e, new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The tree of a JSON document from {@code text}, null when it is empty. */
    public static JsonNode read(String text) {
        try (JsonParser p = FACTORY.createParser(tools.jackson.core.ObjectReadContext.empty(), text)) {
            return JsonTrees.read(p);
        }
    }

    private static JsonNode read(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(tools.jackson.core.ObjectReadContext.empty(), bytes)) {
            return JsonTrees.read(p);
        }
    }

    // Compiled when an error is reported, not when the class loads: a model's load never needs them.
    private static final String NON_STANDARD = "Non-standard token '([^']{1,20})'";
    private static final String HEX = "[-+]?0[xX][0-9A-Fa-f]*";
    private static final String DEPTH = "nesting depth \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)";

    /**
     * The error at its line and column, in plain words where the parser's would name its own
     * features ("enable JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS"): NaN, hexadecimal numbers,
     * comments, a leading '+' and nesting too deep for the limit.
     */
    private static InvalidFileException invalid(Path file, String what, JacksonException e, String text) {
        var loc = e.getLocation();
        int line = loc == null ? -1 : loc.getLineNr();
        int column = loc == null ? -1 : loc.getColumnNr();
        String m = String.valueOf(e.getOriginalMessage());
        String problem = null;
        Matcher nonStandard = Pattern.compile(NON_STANDARD).matcher(m);
        Matcher depth = Pattern.compile(DEPTH).matcher(m);
        if (nonStandard.find()) {
            problem = nonStandard.group(1) + " is not a JSON number; write a finite number such as 0.5.";
        } else if (m.contains("hexadecimal number")) {
            problem = "hexadecimal numbers are not JSON; " + hexInDecimal(text, line, column) + ".";
        } else if (m.contains("comment")) {
            problem = "JSON has no comments; remove it.";
        } else if (m.contains("plus sign")) {
            problem = "JSON numbers have no leading '+'; remove it.";
        } else if (m.contains("Leading zeroes")) {
            problem = "JSON numbers have no leading zeros; remove them (write 7, not 07).";
        } else if (depth.find()) {
            int limit = Integer.parseInt(depth.group(2));
            int[] at = tooDeep(text, limit);
            if (at != null) {
                line = at[0];
                column = at[1];
            }
            problem = "the nesting depth is more than " + limit + " levels; flatten the structure.";
        }
        String place = line < 0 ? what : (what.isEmpty() ? "" : what + " ") + "line " + line + ", column " + column;
        return new InvalidFileException(file, place, "not valid JSON: " + (problem != null ? problem : reason(e)));
    }

    /** "write 16" for the 0x10 at (or just before) the error's place. */
    private static String hexInDecimal(String text, int line, int column) {
        String[] lines = text.split("\\R", -1);
        if (line >= 1 && line <= lines.length) {
            Matcher h = Pattern.compile(HEX).matcher(lines[line - 1]);
            if (h.find(Math.max(0, Math.min(lines[line - 1].length(), column - 4)))) {
                String literal = h.group();
                try {
                    boolean negative = literal.startsWith("-");
                    java.math.BigInteger v = new java.math.BigInteger(literal.replaceFirst("^[-+]?0[xX]", ""), 16);
                    return "write " + (negative ? v.negate() : v);
                } catch (NumberFormatException ignored) {
                    // "0x" alone
                }
            }
        }
        return "write the number in decimal";
    }

    /** The line and column of the first bracket that opens level {@code limit + 1}, or null. */
    private static int[] tooDeep(String text, int limit) {
        int depth = 0;
        int line = 1;
        int column = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            column++;
            if (c == '\n') {
                line++;
                column = 0;
            } else if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > limit) {
                    return new int[] {line, column};
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return null;
    }

    /** The parser's reason without the Java names it adds to limits ("from `StreamReadConstraints.…`"). */
    static String reason(JacksonException e) {
        String m = String.valueOf(e.getOriginalMessage()).replaceAll(",? from `[^`]*`", "");
        return m.length() <= 300 ? m : m.substring(0, 297) + "...";
    }
}
