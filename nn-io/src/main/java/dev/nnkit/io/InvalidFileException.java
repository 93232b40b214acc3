package dev.nnkit.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file's content is malformed or hostile. The message names the file, the place (line and
 * column, byte offset, or JSON pointer), the offending value and the fix.
 */
public class InvalidFileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String place;
    private final String problem;

    public InvalidFileException(Path file, String place, String problem) {
        super(file + (place.isEmpty() ? "" : " at " + place) + ": " + problem);
        this.file = file;
        this.place = place;
        this.problem = problem;
    }

    /**
     * Names for a message: at most 20, each {@link #quote quoted}, in brackets, so that a
     * 100,000-column header does not become a 100,000-name message.
     */
    public static String quoteAll(java.util.List<String> names) {
        return "[" + String.join(", ", names.stream().limit(20).map(InvalidFileException::quote).toList())
                + (names.size() > 20 ? ", … (" + names.size() + " in all)" : "") + "]";
    }

    /** How many characters of a value {@link #quote} shows before shortening it. */
    public static final int QUOTE_LIMIT = 60;

    /**
     * A value from a file, ready to put in a message: in single quotes, control characters
     * (including newline, tab, ESC and the C1 range) and bidirectional overrides written as
     * visible escapes (ESC as a backslash, x and 1B), and a value longer than {@link #QUOTE_LIMIT}
     * characters shortened to its start, "…" and its length, never splitting a surrogate pair.
     * A hostile cell such as {@code ESC]0;title BEL} can then never reach a terminal raw.
     */
    public static String quote(String value) {
        StringBuilder b = new StringBuilder("'");
        int shown = value.length() <= QUOTE_LIMIT ? value.length() : QUOTE_LIMIT;
        if (shown < value.length() && Character.isHighSurrogate(value.charAt(shown - 1))) {
            shown--;
        }
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
                b.append(String.format("\\x%02X", (int) c));
            } else if (c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || c == 0xFEFF) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('\'');
        if (shown < value.length()) {
            b.insert(b.length() - 1, "…").append(" (").append(value.length()).append(" characters)");
        }
        return b.toString();
    }

    /** What is wrong and the fix, without the file and place. */
    public String problem() {
        return problem;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** Where in the file: "line 3, column 2", "byte 16", "/optimizer/type"; empty for the whole file. */
    public String place() {
        return place;
    }
}
