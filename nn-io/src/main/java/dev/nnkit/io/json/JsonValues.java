package dev.nnkit.io.json;

import dev.nnkit.io.InvalidFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Conversions between JSON trees and the plain values plugin settings are made of. */
public final class JsonValues {
    private JsonValues() {
    }

    /** A JSON value as a plain Java value: Long, Double, Boolean, String, or a List of those. */
    public static Object plain(Path file, JsonNode v, String pointer) throws InvalidFileException {
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) { // longValue() would throw Jackson's own exception
                throw new InvalidFileException(file, pointer, "expected a whole number from " + Long.MIN_VALUE + " to "
                        + Long.MAX_VALUE + "; got " + JsonFields.describe(v) + ".");
            }
            return v.longValue();
        }
        if (v.isNumber()) {
            return JsonFields.number(file, v, pointer); // 1e400 is a JSON number but not a finite double
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                list.add(plain(file, v.get(i), pointer + "/" + i));
            }
            return list;
        }
        throw new InvalidFileException(file, pointer, "expected a number, string, boolean or array; got " + JsonFields.describe(v) + ".");
    }

    /** The fields of an object, except {@code skip}, as plain values. */
    public static Map<String, Object> settings(Path file, JsonNode node, String pointer, Set<String> skip)
            throws InvalidFileException {
        if (!node.isObject()) {
            throw new InvalidFileException(file, pointer, "expected an object; got " + JsonFields.describe(node) + ".");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!skip.contains(e.getKey())) {
                out.put(e.getKey(), plain(file, e.getValue(), pointer + "/" + e.getKey()));
            }
        }
        return out;
    }

    /**
     * Plain values (strings, numbers, booleans, lists and maps of them) as compact JSON, for
     * modules that write a little JSON without depending on Jackson themselves (nn-onnx's metadata).
     */
    public static String write(Object value) {
        return StrictJson.mapper().writeValueAsString(value);
    }

    /** Puts a plain value (as produced by {@link #plain} or a config record) into an object. */
    public static void put(ObjectNode node, String key, Object value) {
        if (value instanceof List<?> list) {
            ArrayNode a = node.putArray(key);
            list.forEach(v -> add(a, v));
        } else if (value instanceof Boolean b) {
            node.put(key, b);
        } else if (value instanceof Integer i) {
            node.put(key, i);
        } else if (value instanceof Long l) {
            node.put(key, l);
        } else if (value instanceof Number n) {
            node.put(key, n.doubleValue());
        } else {
            node.put(key, String.valueOf(value));
        }
    }

    private static void add(ArrayNode a, Object v) {
        if (v instanceof Boolean b) {
            a.add(b);
        } else if (v instanceof Integer i) {
            a.add(i);
        } else if (v instanceof Long l) {
            a.add(l);
        } else if (v instanceof Number n) {
            a.add(n.doubleValue());
        } else {
            a.add(String.valueOf(v));
        }
    }

    /** Rejects keys outside {@code allowed}, naming the nearest allowed one. */
    public static void checkKeys(Path file, JsonNode node, String pointer, Set<String> allowed) throws InvalidFileException {
        if (!node.isObject()) {
            throw new InvalidFileException(file, pointer.isEmpty() ? "/" : pointer, "expected an object; got " + JsonFields.describe(node) + ".");
        }
        for (String key : node.propertyNames()) {
            if (!allowed.contains(key)) {
                String hint = dev.nnkit.api.plugin.Names.nearest(key, allowed).map(n -> " Did you mean '" + n + "'?")
                        .orElse("");
                throw new InvalidFileException(file, pointer + "/" + key, "unknown key '" + key + "'." + hint
                        + " Allowed: " + String.join(", ", new TreeSet<>(allowed)) + ".");
            }
        }
    }
}
