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
    private final Page p;
    private final Notation n;
    private final boolean markdown;
    private final int neurons;

    private ExplanationRenderer(boolean markdown, int neurons, Words words) {
        this.p = new Page(markdown, neurons, words);
        this.n = p.n;
        this.markdown = markdown;
        this.neurons = neurons;
    }

    /** Terminal text, in English. */
    public static String text(Explanation e, int neurons) {
        return text(e, neurons, Words.ENGLISH);
    }

    /** Markdown with LaTeX formulas, in English. */
    public static String markdown(Explanation e, int neurons) {
        return markdown(e, neurons, Words.ENGLISH);
    }

    /** Terminal text in {@code words}' language. */
    public static String text(Explanation e, int neurons, Words words) {
        return new ExplanationRenderer(false, neurons, words).render(e);
    }

    /** Markdown with LaTeX formulas in {@code words}' language. */
    public static String markdown(Explanation e, int neurons, Words words) {
        return new ExplanationRenderer(true, neurons, words).render(e);
    }

    private static String num(double v) {
        return Page.num(v);
    }

    private static String term(double v) {
        return Page.term(v);
    }

    private String t(String english, Object... args) {
        return p.t(english, args);
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
        p.heading(title);
    }

    private void line(String formula) {
        p.line(formula);
    }

    private void note(String text) {
        p.note(text);
    }

    private String render(Explanation e) {
        List<Explanation.Layer> layers = e.layers();
        int last = layers.size();
        p.title(t("One training step, written out"));
        StringBuilder shape = new StringBuilder().append(e.input().length);
        layers.forEach(l -> shape.append('-').append(l.z().length));
        note(t("Network %s; input x = %s, target y = %s. Every number below is read from nnkit's own forward pass,"
                + " backward pass and optimizer update.", shape, vector(e.input()), vector(e.target())));
        heading(t("Forward pass"));
        for (Explanation.Layer l : layers) {
            note(t(l.z().length == 1 ? "Layer %s: %s neuron, activation %s" : "Layer %s: %s neurons, activation %s",
                    l.index(), l.z().length, l.activation())
                    + (l.activationFormula().isEmpty() ? "" : p.paren(p.formula(l.activationFormula()))) + t("."));
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
        heading(t("Loss"));
        note(e.loss() + (e.lossFormula().isEmpty() ? "" : ": " + p.formula(e.lossFormula())));
        line("C = " + num(e.lossValue()));
        heading(t("Backward pass"));
        Explanation.Layer out = layers.get(last - 1);
        for (int i = 0; i < shown(out.z().length); i++) {
            String idx = String.valueOf(i + 1);
            line(grad(n.symbol("a", last, idx)) + " = " + num(e.outputGradient()[i]));
        }
        for (int li = last - 1; li >= 0; li--) {
            Explanation.Layer l = layers.get(li);
            if (li < last - 1) {
                Explanation.Layer next = layers.get(li + 1);
                note(t("δ of layer %s from layer %s: ", l.index(), next.index())
                        + (markdown ? "$\\delta^{(" + l.index() + ")} = (W^{(" + next.index() + ")T} \\delta^{(" + next.index()
                        + ")}) \\odot h'(z^{(" + l.index() + ")})$" : "δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ h′(z⁽ˡ⁾)"));
            } else {
                note(t("Output δ: ") + (markdown ? "$\\delta^{(" + l.index() + ")} = \\partial C / \\partial a^{(" + l.index()
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
                    s.append(" (" + t("through the softmax Jacobian") + ")");
                }
                line(s + " = " + num(l.delta()[i]));
            }
            hidden(l.z().length);
        }
        heading(t("Gradients"));
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
        heading(t("After the update"));
        line("C = " + num(e.lossAfter()) + (markdown ? "\\quad\\text{(" + t("before: %s", num(e.lossValue())) + ")}"
                : "   (" + t("before: %s", num(e.lossValue())) + ")"));
        return p.text();
    }

    private void update(Explanation e) {
        Explanation.Update u = e.update();
        heading(t("Update (%s, step %s)", u.optimizer(), u.step()));
        note(p.formula(u.formula()) + (u.settings().isEmpty() ? "" : p.gap() + t("Settings: %s.", u.settings())));
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
                                + (state.isEmpty() ? "" : " (" + t("with its state %s", state.keySet()) + ")") + " = " + num(after[k]));
                    }
                }
                if (before.length > neurons * Math.max(1, Math.min(cols, neurons))) {
                    note(t("… and %s more in %s.", before.length - neurons * Math.max(1, Math.min(cols, neurons)), name));
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
        return markdown ? "\\ (\\text{" + t("%s more", count - neurons) + "})" : " (" + t("%s more", count - neurons) + ")";
    }

    private void hidden(int count) {
        if (count > neurons) {
            note(t("… %s more neurons not shown (raise --neurons).", count - neurons));
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
