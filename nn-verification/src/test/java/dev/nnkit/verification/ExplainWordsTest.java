package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.core.explain.Words;
import dev.nnkit.core.plugin.PluginInfo;
import dev.nnkit.core.plugin.PluginKind;
import dev.nnkit.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * nn explain --lang zh leaves nothing in English: every string the explain renderers translate
 * (each t("…") in their source) and every built-in layer's, activation's, loss's and optimizer's
 * formula has a Chinese line in zh.tsv, with the same placeholders.
 */
@DisplayName("nn explain's Chinese covers every string it writes")
class ExplainWordsTest {
    static final Path SOURCES = ExplainTest.ROOT.resolve("nn-core/src/main/java/dev/nnkit/core/explain");
    static final Path TABLE = ExplainTest.ROOT.resolve("nn-core/src/main/resources/dev/nnkit/core/explain/zh.tsv");

    @Test
    @DisplayName("every t(\"…\") string of the renderers has a translation with the same placeholders")
    void everyTemplate() throws IOException {
        Words zh = Words.of("zh");
        List<String> templates = templates();
        assertThat(templates).as("the extraction found the renderers' strings").hasSizeGreaterThan(50)
                .contains("Forward pass", "Stage %s (dropout): the gradient passes through the same mask: %s.");
        for (String t : templates) {
            assertThat(zh.translates(t)).as("zh.tsv lacks: %s", t).isTrue();
        }
        for (String line : Files.readAllLines(TABLE)) {
            if (!line.startsWith("#") && line.contains("\t")) {
                String[] p = line.split("\t", 2);
                assertThat(placeholders(p[1])).as("placeholders of: %s", line).isEqualTo(placeholders(p[0]));
            }
        }
    }

    @Test
    @DisplayName("every built-in layer, activation, loss and optimizer formula has a translation")
    void everyFormula() {
        Words zh = Words.of("zh");
        for (PluginInfo p : PluginRegistry.discover().plugins()) {
            if (Set.of(PluginKind.LAYER, PluginKind.ACTIVATION, PluginKind.LOSS, PluginKind.OPTIMIZER).contains(p.kind())
                    && p.module().startsWith("dev.nnkit.")) {
                assertThat(zh.translates(p.description())).as("zh.tsv lacks %s's: %s", p.id(), p.description()).isTrue();
            }
        }
    }

    /** The numbered arguments a template uses: %s is the next one, %2$s the second. */
    private static Set<Integer> placeholders(String template) {
        Set<Integer> used = new TreeSet<>();
        Matcher m = Pattern.compile("%(?:(\\d+)\\$)?s").matcher(template);
        int next = 1;
        while (m.find()) {
            used.add(m.group(1) != null ? Integer.parseInt(m.group(1)) : next++);
        }
        return used;
    }

    /**
     * The string literals each t( call of the explain sources starts with: adjacent literals
     * joined, both branches of a ternary taken.
     */
    static List<String> templates() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher call = Pattern.compile("\\bt\\(").matcher(src);
                while (call.find()) {
                    StringBuilder current = new StringBuilder();
                    int depth = 0;
                    for (int i = call.end(); i < src.length(); i++) {
                        char c = src.charAt(i);
                        if (c == '"') {
                            int end = i + 1;
                            while (src.charAt(end) != '"') {
                                end += src.charAt(end) == '\\' ? 2 : 1;
                            }
                            current.append(src, i + 1, end);
                            i = end;
                        } else if (c == '(') {
                            depth++;
                        } else if (c == ')' && depth-- == 0 || c == ',' && depth == 0) {
                            break;
                        } else if ((c == '?' || c == ':') && depth == 0 && current.length() > 0) {
                            out.add(unescape(current.toString()));
                            current.setLength(0);
                        }
                    }
                    if (current.length() > 0) {
                        out.add(unescape(current.toString()));
                    }
                }
            }
        }
        return out;
    }

    private static String unescape(String literal) {
        return literal.replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
