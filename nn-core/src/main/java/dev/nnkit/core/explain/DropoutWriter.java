package dev.nnkit.core.explain;

/**
 * dropout in training: a = x·m, where m is 0 for a dropped value and 1/(1 − p) for a kept one
 * (inverted dropout, so inference needs no scaling), drawn from the stage's seeded stream;
 * backward, ∂C/∂x = g·m with the same mask. The mask is the one the layer drew.
 */
final class DropoutWriter implements StageWriter {
    @Override
    public void forward(Trace.StageTrace t, Page p) {
        int l = StageWriter.layer(t);
        double rate = ((Number) t.settings().get("p")).doubleValue();
        p.note(rate == 1 ? p.t("Stage %s: dropout with p = 1: every value is dropped (m = 0).", l)
                : p.t("Stage %s: dropout with p = %s: each value is dropped (m = 0) with probability p, or kept and"
                + " scaled by m = 1/(1 - p) = %s; the draws come from the stage's seeded stream.", l, Page.num(rate),
                Page.num(1 / (1 - rate))));
        double[] mask = t.internals().get("mask");
        Layout out = new Layout(t.outputShape());
        for (int k = 0; k < p.shown(t.output().length); k++) {
            String word = mask[k] == 0 ? p.t("dropped") : p.t("kept");
            p.line(p.at("a", l, out.unravel(k)) + " = " + Page.term(t.input()[k]) + p.times() + Page.num(mask[k]) + " = "
                    + Page.num(t.output()[k]) + (p.markdown ? "\\quad\\text{(" + word + ")}" : "  " + p.paren(word)));
        }
        p.hidden(t.output().length, p.t("outputs"));
    }

    @Override
    public void backward(Trace.StageTrace t, Page p) {
        if (t.inputGradient().length == 0) {
            return;
        }
        int l = StageWriter.layer(t);
        p.note(p.t("Stage %s (dropout): the gradient passes through the same mask: %s.", l,
                p.inline("\\partial C/\\partial a^{(" + (l - 1) + ")} = \\partial C/\\partial a^{(" + l + ")} \\cdot m",
                        "∂C/∂" + p.n.symbol("a", l - 1, "") + " = ∂C/∂" + p.n.symbol("a", l, "") + " · m")));
        double[] mask = t.internals().get("mask");
        Layout in = new Layout(t.inputShape());
        for (int k = 0; k < p.shown(t.input().length); k++) {
            p.line(p.grad(p.at("a", l - 1, in.unravel(k))) + " = " + Page.term(t.outputGradient()[k]) + p.times()
                    + Page.num(mask[k]) + " = " + Page.num(t.inputGradient()[k]));
        }
        p.hidden(t.input().length, p.t("input gradients"));
    }
}
