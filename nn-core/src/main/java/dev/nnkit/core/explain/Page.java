package dev.nnkit.core.explain;

import java.util.Locale;

/**
 * Where an explanation is written: terminal text (Unicode) or Markdown with LaTeX, in English or
 * Chinese, with at most {@code limit} values (and sum terms) written per stage so that large
 * layers stay readable. Numbers are written to 6 decimals (scientific beyond that range).
 */
final class Page {
    final Notation n;
    final boolean markdown;
    final int limit;
    final Words words;
    private final StringBuilder out = new StringBuilder();

    Page(boolean markdown, int limit, Words words) {
        this.n = markdown ? Notation.LATEX : Notation.UNICODE;
        this.markdown = markdown;
        this.limit = limit;
        this.words = words;
    }

    /** The text of {@code english} (a format string with %s) in the page's language. */
    String t(String english, Object... args) {
        return words.t(english, args);
    }

    /** The space between two sentences: none in Chinese. */
    String gap() {
        return words.language().equals("zh") ? "" : " ";
    }

    /** " (text)", or in Chinese "（text）". */
    String paren(String text) {
        return words.language().equals("zh") ? "（" + text + "）" : " (" + text + ")";
    }

    /** A plugin's formula in the page's language. */
    String formula(String description) {
        return words.formula(description);
    }

    static String num(double v) {
        if (v == 0) {
            return "0";
        }
        // 6 significant digits: 0.000418123, not 0.000418 (a v̂ that small written to 3 digits made an
        // Adam step look like it had the wrong sign).
        int decimals = Math.max(0, 5 - (int) Math.floor(Math.log10(Math.abs(v))));
        String s = Math.abs(v) >= 1e-4 && Math.abs(v) < 1e6 ? new java.math.BigDecimal(v).setScale(decimals,
                java.math.RoundingMode.HALF_EVEN).toPlainString() : String.format(Locale.ROOT, "%.5e", v);
        if (s.contains("e")) {
            return s.replaceAll("\\.?0+e", "e"); // 1.00000e-08 → 1e-08
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** A number as a term of a sum or product: negative ones in parentheses. */
    static String term(double v) {
        String s = num(v);
        return v < 0 ? "(" + s + ")" : s;
    }

    void title(String text) {
        out.append(markdown ? "# " + text + "\n\n" : text + "\n");
    }

    void heading(String title) {
        out.append(markdown ? "\n## " + title + "\n\n" : "\n" + title + "\n");
    }

    void line(String formula) {
        out.append(n.math(formula)).append(markdown ? "\n\n" : "\n");
    }

    void note(String text) {
        out.append(markdown ? text + "\n\n" : "    " + text + "\n");
    }

    /** Inline math in a note: $…$ in Markdown, as is in text. */
    String inline(String latex, String unicode) {
        return markdown ? "$" + latex + "$" : unicode;
    }

    /** √(x) in text, \\sqrt{x} in LaTeX. */
    String sqrt(String x) {
        return markdown ? n.sqrt(x) : "√(" + x + ")";
    }

    String times() {
        return n.times();
    }

    /** ∂C/∂a⁽ˡ⁾ inside a note. */
    String gradOfStage(int l) {
        return inline("\\partial C/\\partial a^{(" + l + ")}", "∂C/∂" + n.symbol("a", l, ""));
    }

    /** ∂C/∂{@code symbol}. */
    String grad(String symbol) {
        return markdown ? "\\frac{\\partial C}{\\partial " + symbol + "}" : "∂C/∂" + symbol;
    }

    /** A tensor element with the stage superscript: a⁽²⁾[0, 1, 2] or a^{(2)}[0, 1, 2]. */
    String at(String name, int layer, int... index) {
        StringBuilder b = new StringBuilder(n.symbol(name, layer, "")).append('[');
        for (int i = 0; i < index.length; i++) {
            b.append(i == 0 ? "" : ", ").append(index[i]);
        }
        return b.append(']').toString();
    }

    /** " + … (k more)" after the first {@link #limit} terms of {@code count}, or nothing. */
    String more(int count) {
        if (count <= limit) {
            return "";
        }
        String k = t("%s more", count - limit);
        return markdown ? " + \\dots\\ (\\text{" + k + "})" : " + …" + paren(k);
    }

    /** A note that {@code count − limit} values (named in words: "outputs") were not written, or nothing. */
    void hidden(int count, String what) {
        if (count > limit) {
            note(t("… %s more %s not shown (raise --neurons).", count - limit, what));
        }
    }

    /** The same for the values of a tensor named by its state_dict name ("0.weight"). */
    void hiddenOf(int count, String name) {
        if (count > limit) {
            note(t("… %s more of %s not shown (raise --neurons).", count - limit, name));
        }
    }

    int shown(int count) {
        return Math.min(count, limit);
    }

    /** A sum written term by term, the first {@link #limit} terms shown and the rest counted. */
    Terms terms() {
        return new Terms();
    }

    final class Terms {
        private final StringBuilder shown = new StringBuilder();
        private int count;

        /** Adds a·b. */
        Terms product(double a, double b) {
            return add(term(a) + times() + term(b));
        }

        Terms add(String term) {
            if (count++ < limit) {
                shown.append(shown.length() == 0 ? "" : " + ").append(term);
            }
            return this;
        }

        int count() {
            return count;
        }

        @Override
        public String toString() {
            return count == 0 ? "0" : shown + more(count);
        }

        /** "sum = result", or just the result when the sum is nothing or a single term equal to it. */
        String equalTo(double result) {
            boolean plain = count == 0 || count == 1 && shown.toString().equals(term(result));
            return (plain ? "" : this + " = ") + num(result);
        }
    }

    String text() {
        return out.toString();
    }
}
