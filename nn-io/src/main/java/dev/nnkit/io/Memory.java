package dev.nnkit.io;

import java.util.Locale;

/** Memory figures for messages: sizes people read, and the -Xmx that would hold them. */
public final class Memory {
    private Memory() {
    }

    /** {@code bytes} as "512 MB" or "7.2 GB". */
    public static String format(long bytes) {
        if (bytes < 1L << 30) {
            return Math.max(1, (bytes + (1 << 20) - 1) >> 20) + " MB";
        }
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }

    /** An -Xmx value (such as "12g") comfortably above {@code bytes}. */
    public static String suggestedXmx(long bytes) {
        long gb = (long) Math.ceil(bytes * 1.25 / (1L << 30));
        return Math.max(1, gb) + "g";
    }
}
