package dev.nnkit.core.explain;

/** How symbols look: Unicode for terminals, LaTeX for Markdown. */
interface Notation {
    /** A symbol with layer superscript and index subscript: w₁₂⁽¹⁾ or w^{(1)}_{12}. */
    String symbol(String name, int layer, String index);

    /** A formula line, displayed: as is, or in $…$. */
    String math(String formula);

    String times();

    String sigma();

    String sum();

    String hPrime(String h);

    String sqrt(String x);

    String hat(String x);

    String arrow();

    /** Terminal text with Unicode sub- and superscripts. */
    Notation UNICODE = new Notation() {
        private static final String SUB = "₀₁₂₃₄₅₆₇₈₉";
        private static final String SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";

        private String map(String s, String table) {
            StringBuilder b = new StringBuilder();
            for (char c : s.toCharArray()) {
                b.append(Character.isDigit(c) ? table.charAt(c - '0') : c == ',' ? ',' : c);
            }
            return b.toString();
        }

        @Override
        public String symbol(String name, int layer, String index) {
            return name + map(index, SUB) + (layer < 0 ? "" : "⁽" + map(String.valueOf(layer), SUP) + "⁾");
        }

        @Override
        public String math(String formula) {
            return "    " + formula;
        }

        @Override
        public String times() {
            return "·";
        }

        @Override
        public String sigma() {
            return "σ";
        }

        @Override
        public String sum() {
            return "Σ";
        }

        @Override
        public String hPrime(String h) {
            return h + "′";
        }

        @Override
        public String sqrt(String x) {
            return "√" + x;
        }

        @Override
        public String hat(String x) {
            return x + "̂";
        }

        @Override
        public String arrow() {
            return "←";
        }
    };

    /** Markdown with LaTeX math, as the seeds write it. */
    Notation LATEX = new Notation() {
        @Override
        public String symbol(String name, int layer, String index) {
            return name + (layer < 0 ? "" : "^{(" + layer + ")}") + (index.isEmpty() ? "" : "_{" + index + "}");
        }

        @Override
        public String math(String formula) {
            return "$$" + formula + "$$";
        }

        @Override
        public String times() {
            return " \\cdot ";
        }

        @Override
        public String sigma() {
            return "\\sigma";
        }

        @Override
        public String sum() {
            return "\\sum";
        }

        @Override
        public String hPrime(String h) {
            return h + "'";
        }

        @Override
        public String sqrt(String x) {
            return "\\sqrt{" + x + "}";
        }

        @Override
        public String hat(String x) {
            return "\\hat{" + x + "}";
        }

        @Override
        public String arrow() {
            return "\\leftarrow";
        }
    };
}
