package dev.nnkit.core.explain;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Trace} out stage by stage: the input, each stage's forward pass with its numbers
 * substituted, the loss, each stage's backward pass from the last to the first, the optimizer
 * update of every parameter and the loss after it. Terminal text or Markdown with LaTeX, in
 * English or Chinese, at most {@code limit} values (and sum terms) per stage.
 */
public final class TraceRenderer {
    private TraceRenderer() {
    }

    /** Terminal text. */
    public static String text(Trace t, int limit, Words words) {
        return render(t, new Page(false, limit, words));
    }

    /** Markdown with LaTeX formulas. */
    public static String markdown(Trace t, int limit, Words words) {
        return render(t, new Page(true, limit, words));
    }

    private static String render(Trace t, Page p) {
        List<Trace.StageTrace> stages = t.stages();
        int last = stages.size();
        p.title(p.t("One training step, written out"));
        p.note(p.t("A batch of %s %s of shape %s through %s stages. Every number below is read from nnkit's own forward"
                        + " pass, backward pass and optimizer update. Indices count from 0, as in PyTorch: %s is sample n,"
                        + " channel c, row y, column x of stage l's output, and %s is the input.", t.batch(),
                t.batch() == 1 ? p.t("sample") : p.t("samples"), Arrays.toString(t.inputShape()), last,
                p.inline("a^{(l)}[n, c, y, x]", "a⁽ˡ⁾[n, c, y, x]"), p.inline("a^{(0)}", "a⁽⁰⁾")));
        StageWriter.Layout in = new StageWriter.Layout(t.inputShape());
        StringBuilder values = new StringBuilder();
        for (int k = 0; k < p.shown(t.input().length); k++) {
            values.append(k == 0 ? "" : ", ").append(p.at("a", 0, in.unravel(k))).append(" = ").append(Page.num(t.input()[k]));
        }
        p.note((p.markdown ? "$" + values + "$" : values.toString()) + (t.input().length > p.limit
                ? p.t(" (and %s more)", t.input().length - p.limit) : "") + p.t("; ") + p.t("targets") + " y = "
                + Arrays.toString(Arrays.stream(t.target()).mapToObj(Page::num).toArray()) + p.t("."));
        p.heading(p.t("Forward pass"));
        for (Trace.StageTrace s : stages) {
            writer(s).forward(s, p);
        }
        p.heading(p.t("Loss"));
        p.note(t.loss() + (t.lossFormula().isEmpty() ? "" : p.t(": ") + p.formula(t.lossFormula())) + p.t(". ")
                + p.t("C is its mean over the batch."));
        p.line("C = " + Page.num(t.lossValue()));
        p.heading(p.t("Backward pass"));
        StageWriter.Layout out = new StageWriter.Layout(stages.get(last - 1).outputShape());
        for (int k = 0; k < p.shown(t.outputGradient().length); k++) {
            p.line(p.grad(p.at("a", last, out.unravel(k))) + " = " + Page.num(t.outputGradient()[k]));
        }
        p.hidden(t.outputGradient().length, p.t("output gradients"));
        for (int s = last - 1; s >= 0; s--) {
            writer(stages.get(s)).backward(stages.get(s), p);
        }
        Map<String, double[]> gradients = new java.util.LinkedHashMap<>();
        Map<String, java.util.function.IntFunction<String>> symbols = new java.util.LinkedHashMap<>();
        for (Trace.StageTrace s : stages) {
            for (Trace.ParameterValues v : s.parameters()) {
                gradients.put(v.name(), v.gradient());
                symbols.put(v.name(), symbol(s, v, p));
            }
        }
        update(t.update(), gradients, symbols, p);
        p.heading(p.t("After the update"));
        p.line("C = " + Page.num(t.lossAfter()) + (p.markdown ? "\\quad\\text{(" + p.t("before: %s", Page.num(t.lossValue()))
                + ")}" : "   (" + p.t("before: %s", Page.num(t.lossValue())) + ")"));
        if (stages.stream().anyMatch(s -> s.type().equals("dropout"))) {
            p.note(p.t("The loss after the update is measured in training mode, so its dropout masks are new draws."));
        }
        return p.text();
    }

    /**
     * How element k of a parameter is written, as the backward pass writes it: W⁽ˡ⁾[f, c, ky, kx],
     * b⁽ˡ⁾[f], batch norm's γ[c] and β[c]; a plugin's parameters by state_dict name.
     */
    private static java.util.function.IntFunction<String> symbol(Trace.StageTrace s, Trace.ParameterValues v, Page p) {
        int l = StageWriter.layer(s);
        StageWriter.Layout shape = new StageWriter.Layout(v.shape());
        boolean weight = v.name().endsWith(".weight");
        boolean bias = v.name().endsWith(".bias");
        if (s.type().equals("batch-norm") && (weight || bias)) {
            String name = weight ? (p.markdown ? "\\gamma" : "γ") : (p.markdown ? "\\beta" : "β");
            return k -> name + "[" + k + "]";
        }
        if (weight || bias) {
            return k -> {
                int[] i = shape.unravel(k);
                return p.at(weight ? "W" : "b", l, Arrays.copyOfRange(i, 1, i.length));
            };
        }
        return k -> (p.markdown ? "\\mathrm{" + v.name() + "}" : v.name()) + "[" + k + "]";
    }

    private static StageWriter writer(Trace.StageTrace s) {
        return StageWriter.of(s.type(), s.internals().containsKey("h'") || s.type().equals("softmax"));
    }

    /** θ ← θ − η·g for SGD, and Adam's m, v, m̂, v̂ for Adam; other optimizers by their results. */
    private static void update(Explanation.Update u, Map<String, double[]> gradients,
                               Map<String, java.util.function.IntFunction<String>> symbols, Page p) {
        p.heading(p.t("Update (%s, step %s)", u.optimizer(), u.step()));
        p.note(p.formula(u.formula()) + (u.settings().isEmpty() ? "" : p.gap() + p.t("Settings: %s.", u.settings())));
        boolean adam = u.settings().containsKey("beta1") && u.settings().containsKey("beta2");
        double eta = u.learningRate();
        for (Map.Entry<String, double[]> e : u.before().entrySet()) {
            String name = e.getKey();
            double[] before = e.getValue();
            double[] after = u.after().get(name);
            Map<String, double[]> state = u.state().get(name);
            for (int k = 0; k < p.shown(before.length); k++) {
                String sym = symbols.get(name).apply(k);
                if (adam && state.containsKey("exp_avg") && state.containsKey("exp_avg_sq")) {
                    double m = state.get("exp_avg")[k];
                    double v = state.get("exp_avg_sq")[k];
                    double mHat = m / (1 - Math.pow(((Number) u.settings().get("beta1")).doubleValue(), u.step()));
                    double vHat = v / (1 - Math.pow(((Number) u.settings().get("beta2")).doubleValue(), u.step()));
                    String gap = p.markdown ? ",\\quad " : ",  ";
                    p.line("m = " + Page.num(m) + gap + "v = " + Page.num(v) + gap + p.n.hat("m") + " = " + Page.num(mHat)
                            + gap + p.n.hat("v") + " = " + Page.num(vHat));
                    p.line(sym + " " + p.n.arrow() + " " + Page.term(before[k]) + " - " + Page.num(eta) + p.times()
                            + Page.term(mHat) + " / (" + p.n.sqrt(Page.num(vHat)) + " + "
                            + Page.num(((Number) u.settings().get("epsilon")).doubleValue()) + ") = " + Page.num(after[k]));
                } else if (state.isEmpty()) {
                    p.line(sym + " " + p.n.arrow() + " " + Page.term(before[k]) + " - " + Page.num(eta) + p.times()
                            + Page.term(gradients.get(name)[k]) + " = " + Page.num(after[k]));
                } else {
                    p.line(sym + " " + p.n.arrow() + " " + Page.num(after[k]) + "   (" + p.t("with its state %s",
                            state.keySet()) + ")");
                }
            }
            p.hiddenOf(before.length, name);
        }
    }
}
