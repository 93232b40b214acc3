package dev.nnkit.core.explain;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an {@link Explanation} out as the seeds do by hand: every z with its numbers substituted,
 * every a, the loss, the δ recursion, every gradient, the update and the new loss. Terminal text
 * (Unicode) or Markdown with LaTeX. At most {@code neurons} neurons (and sum terms) are written
 * per layer; the rest are counted, so large networks stay readable.
 */
public final class ExplanationRenderer {
    private final Notation n;
    private final boolean markdown;
    private final int neurons;
    private final StringBuilder out = new StringBuilder();

    private ExplanationRenderer(boolean markdown, int neurons) {
        this.n = markdown ? Notation.LATEX : Notation.UNICODE;
        this.markdown = markdown;
        this.neurons = neurons;
    }

    /** Terminal text. */
    public static String text(Explanation e, int neurons) {
        return new ExplanationRenderer(false, neurons).render(e);
    }

    /** Markdown with LaTeX formulas. */
    public static String markdown(Explanation e, int neurons) {
        return new ExplanationRenderer(true, neurons).render(e);
    }

    static String num(double v) {
        if (v == 0) {
            return "0";
        }
        String s = String.format(Locale.ROOT, Math.abs(v) >= 1e-4 && Math.abs(v) < 1e6 ? "%.6f" : "%.5e", v);
        if (s.contains("e")) {
            return s.replaceAll("\\.?0+e", "e"); // 1.00000e-08 → 1e-08
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private String term(double v) {
        String s = num(v);
        return v < 0 ? "(" + s + ")" : s;
    }

    private String h(String id) {
        return switch (id) {
            case "sigmoid" -> n.sigma();
            case "identity" -> "h";
            case "softmax" -> markdown ? "\\mathrm{softmax}" : "softmax";
            default -> markdown ? "\\mathrm{" + id + "}" : id;
        };
    }

    private void heading(String title) {
        out.append(markdown ? "\n## " + title + "\n\n" : "\n" + title + "\n");
    }

    private void line(String formula) {
        out.append(n.math(formula)).append(markdown ? "\n\n" : "\n");
    }

    private void note(String text) {
        out.append(markdown ? text + "\n\n" : "    " + text + "\n");
    }

    private String render(Explanation e) {
        List<Explanation.Layer> layers = e.layers();
        int last = layers.size();
        out.append(markdown ? "# One training step, written out\n\n" : "One training step, written out\n");
        StringBuilder shape = new StringBuilder().append(e.input().length);
        layers.forEach(l -> shape.append('-').append(l.z().length));
        note("Network " + shape + "; input x = " + vector(e.input()) + ", target y = " + vector(e.target())
                + ". Every number below is read from nnkit's own forward pass, backward pass and optimizer update.");
        heading("Forward pass");
        for (Explanation.Layer l : layers) {
            note("Layer " + l.index() + ": " + l.z().length + (l.z().length == 1 ? " neuron" : " neurons") + ", activation " + l.activation()
                    + (l.activationFormula().isEmpty() ? "" : " (" + l.activationFormula() + ")") + ".");
            for (int i = 0; i < shown(l.z().length); i++) {
                String idx = String.valueOf(i + 1);
                StringBuilder sym = new StringBuilder(n.symbol("z", l.index(), idx) + " = ");
                StringBuilder nums = new StringBuilder();
                int terms = l.inputs().length;
                for (int j = 0; j < shown(terms); j++) {
                    sym.append(j == 0 ? "" : " + ").append(n.symbol("w", l.index(), pair(i + 1, j + 1)))
                            .append(markdown ? " " : "").append(n.symbol("a", l.index() - 1, String.valueOf(j + 1)));
                    nums.append(j == 0 ? "" : " + ").append(term(l.weights()[i][j])).append(n.times()).append(term(l.inputs()[j]));
                }
                if (terms > shown(terms)) {
                    sym.append(" + \\dots".replace("\\dots", markdown ? "\\dots" : "…"));
                    nums.append(markdown ? " + \\dots" : " + …").append(more(terms));
                }
                if (l.bias().length > 0) {
                    sym.append(" + ").append(n.symbol("b", l.index(), idx));
                    nums.append(" + ").append(term(l.bias()[i]));
                }
                line(sym + " = " + nums + " = " + num(l.z()[i]));
                line(n.symbol("a", l.index(), idx) + " = " + h(l.activation()) + "(" + n.symbol("z", l.index(), idx)
                        + ") = " + num(l.a()[i]));
            }
            hidden(l.z().length);
        }
        heading("Loss");
        note(e.loss() + (e.lossFormula().isEmpty() ? "" : ": " + e.lossFormula()));
        line("C = " + num(e.lossValue()));
        heading("Backward pass");
        Explanation.Layer out = layers.get(last - 1);
        for (int i = 0; i < shown(out.z().length); i++) {
            String idx = String.valueOf(i + 1);
            line(grad(n.symbol("a", last, idx)) + " = " + num(e.outputGradient()[i]));
        }
        for (int li = last - 1; li >= 0; li--) {
            Explanation.Layer l = layers.get(li);
            if (li < last - 1) {
                Explanation.Layer next = layers.get(li + 1);
                note("δ of layer " + l.index() + " from layer " + next.index() + ": "
                        + (markdown ? "$\\delta^{(" + l.index() + ")} = (W^{(" + next.index() + ")T} \\delta^{(" + next.index()
                        + ")}) \\odot h'(z^{(" + l.index() + ")})$" : "δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ h′(z⁽ˡ⁾)"));
            } else {
                note("Output δ: " + (markdown ? "$\\delta^{(" + l.index() + ")} = \\partial C / \\partial a^{(" + l.index()
                        + ")} \\odot h'(z^{(" + l.index() + ")})$" : "δ⁽ᴸ⁾ = ∂C/∂a⁽ᴸ⁾ ⊙ h′(z⁽ᴸ⁾)"));
            }
            for (int i = 0; i < shown(l.z().length); i++) {
                String idx = String.valueOf(i + 1);
                StringBuilder s = new StringBuilder(n.symbol(markdown ? "\\delta" : "δ", l.index(), idx) + " = ");
                if (li < last - 1) {
                    Explanation.Layer next = layers.get(li + 1);
                    StringBuilder terms = new StringBuilder();
                    for (int k = 0; k < shown(next.z().length); k++) {
                        terms.append(k == 0 ? "" : " + ").append(term(next.weights()[k][i])).append(n.times())
                                .append(term(next.delta()[k]));
                    }
                    if (next.z().length > shown(next.z().length)) {
                        terms.append(markdown ? " + \\dots" : " + …").append(more(next.z().length));
                    }
                    s.append("(").append(terms).append(")");
                } else {
                    s.append(term(l.outputGradient()[i]));
                }
                if (l.elementwise()) {
                    s.append(n.times()).append(term(l.hPrime()[i]));
                } else {
                    s.append(" (through the softmax Jacobian)");
                }
                line(s + " = " + num(l.delta()[i]));
            }
            hidden(l.z().length);
        }
        heading("Gradients");
        note(markdown ? "$\\partial C / \\partial w^{(l)}_{ij} = \\delta^{(l)}_i a^{(l-1)}_j$, $\\partial C / \\partial b^{(l)}_i = \\delta^{(l)}_i$"
                : "∂C/∂wᵢⱼ⁽ˡ⁾ = δᵢ⁽ˡ⁾ aⱼ⁽ˡ⁻¹⁾,  ∂C/∂bᵢ⁽ˡ⁾ = δᵢ⁽ˡ⁾");
        for (Explanation.Layer l : layers) {
            for (int i = 0; i < shown(l.z().length); i++) {
                for (int j = 0; j < shown(l.inputs().length); j++) {
                    line(grad(n.symbol("w", l.index(), pair(i + 1, j + 1))) + " = " + term(l.delta()[i]) + n.times()
                            + term(l.inputs()[j]) + " = " + num(l.weightGradient()[i][j]));
                }
                if (l.bias().length > 0) {
                    line(grad(n.symbol("b", l.index(), String.valueOf(i + 1))) + " = " + num(l.biasGradient()[i]));
                }
            }
            hidden(l.z().length);
        }
        update(e);
        heading("After the update");
        line("C = " + num(e.lossAfter()) + (markdown ? "\\quad\\text{(before: " + num(e.lossValue()) + ")}"
                : "   (before: " + num(e.lossValue()) + ")"));
        return this.out.toString();
    }

    private void update(Explanation e) {
        Explanation.Update u = e.update();
        heading("Update (" + u.optimizer() + ", step " + u.step() + ")");
        note(u.formula() + (u.settings().isEmpty() ? "" : " Settings: " + u.settings() + "."));
        boolean adam = u.settings().containsKey("beta1") && u.settings().containsKey("beta2");
        double eta = u.learningRate();
        for (Explanation.Layer l : e.layers()) {
            for (String name : l.biasName().isEmpty() ? List.of(l.weightName()) : List.of(l.weightName(), l.biasName())) {
                double[] before = u.before().get(name);
                double[] after = u.after().get(name);
                double[] g = name.equals(l.weightName()) ? flatten(l.weightGradient()) : l.biasGradient();
                Map<String, double[]> state = u.state().get(name);
                int cols = name.equals(l.weightName()) ? l.inputs().length : 1;
                for (int k = 0; k < Math.min(before.length, neurons * Math.max(1, Math.min(cols, neurons))); k++) {
                    String sym = name.equals(l.weightName()) ? n.symbol("w", l.index(), pair(k / cols + 1, k % cols + 1))
                            : n.symbol("b", l.index(), String.valueOf(k + 1));
                    if (adam && state.containsKey("exp_avg") && state.containsKey("exp_avg_sq")) {
                        double b1 = ((Number) u.settings().get("beta1")).doubleValue();
                        double b2 = ((Number) u.settings().get("beta2")).doubleValue();
                        double m = state.get("exp_avg")[k];
                        double v = state.get("exp_avg_sq")[k];
                        double mHat = m / (1 - Math.pow(b1, u.step()));
                        double vHat = v / (1 - Math.pow(b2, u.step()));
                        String gap = markdown ? ",\\quad " : ",  ";
                        line("m = " + num(m) + gap + "v = " + num(v) + gap + n.hat("m") + " = " + num(mHat) + gap
                                + n.hat("v") + " = " + num(vHat));
                        line(sym + " " + n.arrow() + " " + term(before[k]) + " - " + num(eta) + n.times() + term(mHat) + " / ("
                                + n.sqrt(num(vHat)) + " + " + num(((Number) u.settings().get("epsilon")).doubleValue())
                                + ") = " + num(after[k]));
                    } else {
                        line(sym + " " + n.arrow() + " " + term(before[k]) + " - " + num(eta) + n.times() + term(g[k])
                                + (state.isEmpty() ? "" : " (with its state " + state.keySet() + ")") + " = " + num(after[k]));
                    }
                }
                if (before.length > neurons * Math.max(1, Math.min(cols, neurons))) {
                    note("… and " + (before.length - neurons * Math.max(1, Math.min(cols, neurons))) + " more in " + name + ".");
                }
            }
        }
    }

    private String grad(String symbol) {
        return markdown ? "\\frac{\\partial C}{\\partial " + symbol + "}" : "∂C/∂" + symbol;
    }

    /** "12" for w₁₂, "12,3" once an index has two digits. */
    private static String pair(int i, int j) {
        return i > 9 || j > 9 ? i + "," + j : i + "" + j;
    }

    private int shown(int count) {
        return Math.min(count, neurons);
    }

    private String more(int count) {
        return markdown ? "\\ (" + (count - neurons) + "\\text{ more})" : " (" + (count - neurons) + " more)";
    }

    private void hidden(int count) {
        if (count > neurons) {
            note("… " + (count - neurons) + " more neurons not shown (raise --neurons).");
        }
    }

    private static String vector(double[] v) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(num(v[i]));
        }
        return b.append(")").toString();
    }

    private static double[] flatten(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
