package dev.nnkit.io.json;

import dev.nnkit.io.InvalidFileException;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads of single JSON fields for files from strangers. Every read checks the node's type
 * and range first, so a wrong value is refused with the file, its JSON pointer, the value (short,
 * control characters escaped) and the type expected, never with the parser's own exception
 * ({@code JsonNode.asInt()} on 4294967297 or {@code asString()} on an object throw Jackson's).
 */
public final class JsonFields {
    private JsonFields() {
    }

    /** A string. */
    public static String string(Path file, JsonNode n, String pointer) throws InvalidFileException {
        if (n == null || !n.isString()) {
            throw new InvalidFileException(file, pointer, "expected a string; got " + describe(n) + ".");
        }
        return n.asString();
    }

    /** A whole number from {@code min} to {@code max}. */
    public static long integer(Path file, JsonNode n, String pointer, long min, long max) throws InvalidFileException {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
            throw new InvalidFileException(file, pointer, "expected a whole number from " + min + " to " + max + "; got "
                    + describe(n) + ".");
        }
        return n.longValue();
    }

    /** A whole number from {@code min} to {@code max} that fits an int. */
    public static int intValue(Path file, JsonNode n, String pointer, int min, int max) throws InvalidFileException {
        return (int) integer(file, n, pointer, min, max);
    }

    /** A finite number. */
    public static double number(Path file, JsonNode n, String pointer) throws InvalidFileException {
        if (n == null || !n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw new InvalidFileException(file, pointer, "expected a finite number; got " + describe(n) + ".");
        }
        return n.doubleValue();
    }

    /** {@code n} for a message: its kind and its text, shortened to 60 characters, control characters escaped. */
    public static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isNumber() && !n.isIntegralNumber() && !Double.isFinite(n.doubleValue())) {
            return "a number beyond the range of a double (±1.8e308)";
        }
        String kind = n.isObject() ? "an object " : n.isArray() ? "an array " : n.isString() ? "the string "
                : n.isBoolean() ? "the boolean " : "";
        return kind + printable(n.toString());
    }

    /** {@code text} with control characters as \\uXXXX escapes, shortened to 60 characters. */
    public static String printable(String text) {
        String s = text.length() <= 60 ? text : text.substring(0, 57) + "...";
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
