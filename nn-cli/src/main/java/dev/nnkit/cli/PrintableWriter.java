package dev.nnkit.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * What {@code nn} prints for people passes through here, so that text taken from files (a CSV
 * cell, a class name in a model.json) cannot drive the terminal: control characters other than
 * newline and tab, and the bidirectional overrides that reorder what is shown, are written as
 * visible escapes ({@code \x1B}, {@code \u202E}). A carriage return passes only as part of a
 * line break ({@code \r\n}, Windows' line separator).
 */
final class PrintableWriter extends FilterWriter {
    private static final boolean CRLF = System.lineSeparator().equals("\r\n");

    PrintableWriter(Writer out) {
        super(out);
    }

    /**
     * A name taken from a file (a class, a column) for one line of a table or list: every control
     * character escaped, line breaks and tabs too, which would break the layout.
     */
    static String name(String s) {
        return escape(s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"));
    }

    /** The names, each as {@link #name(String)}, in brackets. */
    static String names(java.util.List<String> names) {
        return names.stream().map(PrintableWriter::name).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    /** The text with every unsafe character escaped. */
    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String e = c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? null : escape(c);
            if (e != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                b.append(e != null ? e : String.valueOf(c));
            }
        }
        return b == null ? s : b.toString();
    }

    private static String escape(char c) {
        if (c == '\n' || c == '\t') {
            return null;
        }
        if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
            return String.format("\\x%02X", (int) c);
        }
        if (c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || c == 0x2028 || c == 0x2029) {
            return String.format("\\u%04X", (int) c);
        }
        return null;
    }

    @Override
    public void write(int c) throws IOException {
        String e = c == '\r' && CRLF ? null : escape((char) c);
        if (e == null) {
            out.write(c);
        } else {
            out.write(e);
        }
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        out.write(escape(new String(buf, off, len)));
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        out.write(escape(str.substring(off, off + len)));
    }
}
