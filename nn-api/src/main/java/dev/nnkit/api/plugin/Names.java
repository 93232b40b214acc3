package dev.nnkit.api.plugin;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" suggestions: the closest name by edit distance, if close enough to help. */
public final class Names {
    private Names() {
    }

    /**
     * The candidate {@code name} most likely means: the same words in another spelling
     * ({@code learning_rate} for {@code learningRate}), its initials ({@code lr}), its last word
     * ({@code epochs} for {@code maxEpochs}), as Keras and PyTorch users write them; else the
     * nearest by edit distance, if within a third of its length (at least 2) edits.
     */
    public static Optional<String> nearest(String name, Collection<String> candidates) {
        String plain = plain(name);
        for (String c : candidates) {
            if (plain(c).equals(plain)) {
                return Optional.of(c);
            }
        }
        for (String c : candidates) {
            if (plain.length() >= 2 && initials(c).equals(plain)) {
                return Optional.of(c);
            }
        }
        for (String c : candidates) {
            if (plain.length() >= 4 && initials(c).length() > 1 && plain(c).endsWith(plain)) {
                return Optional.of(c);
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int limit = Math.max(2, name.length() / 3);
        return bestDistance <= limit ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Lower case without separators: learningRate, learning_rate and learning-rate are one name. */
    private static String plain(String name) {
        return name.replace("_", "").replace("-", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** The first letter of each word of a camelCase, snake_case or kebab-case name, lower case. */
    private static String initials(String name) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean starts = i == 0 ? Character.isLetter(c)
                    : Character.isUpperCase(c) || (Character.isLetter(c) && "_-".indexOf(name.charAt(i - 1)) >= 0);
            if (starts) {
                s.append(Character.toLowerCase(c));
            }
        }
        return s.toString();
    }

    /** Optimal-string-alignment distance, so a swap of two letters ("adma") costs 1. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
