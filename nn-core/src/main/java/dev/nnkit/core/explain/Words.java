package dev.nnkit.core.explain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The language an explanation is written in. The text is written in English in the code (format
 * strings with %s); other languages translate each English string in a resource of
 * tab-separated lines ({@code zh.tsv}: English, then Chinese). Formulas and numbers are the same
 * in every language. A string without a translation is written in English (WordsTest checks that
 * every string the renderers use has one).
 */
public final class Words {
    /** English. */
    public static final Words ENGLISH = new Words("en", Map.of());

    private final String language;
    private final Map<String, String> translations;

    private Words(String language, Map<String, String> translations) {
        this.language = language;
        this.translations = translations;
    }

    /** {@code en} or {@code zh} (Simplified Chinese, the seeds' language). */
    public static Words of(String language) {
        return switch (language) {
            case "en" -> ENGLISH;
            case "zh" -> new Words("zh", load("zh.tsv"));
            default -> throw new IllegalArgumentException("unknown language '" + language + "'; use en or zh.");
        };
    }

    public String language() {
        return language;
    }

    /** Whether {@code english} has a translation here (always, for English). */
    public boolean translates(String english) {
        return language.equals("en") || translations.containsKey(english);
    }

    String t(String english, Object... args) {
        String template = translations.getOrDefault(english, english);
        return args.length == 0 ? template : String.format(Locale.ROOT, template, args);
    }

    /**
     * A plugin's one-line formula in this language: translated when it is a built-in plugin's
     * description (settings after "; " kept as they are), as the plugin wrote it otherwise.
     */
    String formula(String description) {
        int cut = description.indexOf("; ");
        if (translations.containsKey(description) || cut < 0) {
            return translations.getOrDefault(description, description);
        }
        String head = description.substring(0, cut);
        return translations.getOrDefault(head, head) + description.substring(cut);
    }

    private static Map<String, String> load(String resource) {
        Map<String, String> map = new HashMap<>();
        try (InputStream in = Words.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the translation " + resource + " is missing from nnkit's jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int tab = line.indexOf('\t');
                if (!line.isBlank() && !line.startsWith("#") && tab > 0) {
                    map.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(map);
    }
}
