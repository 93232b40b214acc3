package dev.nnkit.core.explain;

/**
 * An activation stage: a = h(z) value by value; backward ∂C/∂z = ∂C/∂a · h′(z), with h′ from the
 * activation's own backward pass. Softmax mixes a row's values, so its gradient goes through its
 * Jacobian and only the results are written.
 */
final class ActivationWriter implements StageWriter {
    @Override
    public void forward(Trace.StageTrace t, Page p) {
        int l = StageWriter.layer(t);
        p.note(p.t("Stage %s: activation %s", l, t.type()) + (t.formula().isEmpty() ? "" : p.paren(p.formula(t.formula())))
                + settings(t, p) + p.t("."));
        Layout out = new Layout(t.outputShape());
        String h = p.markdown ? "\\mathrm{" + t.type() + "}" : t.type();
        for (int k = 0; k < p.shown(t.output().length); k++) {
            int[] i = out.unravel(k);
            p.line(p.at("a", l, i) + " = " + h + "(" + Page.num(t.input()[k]) + ") = " + Page.num(t.output()[k]));
        }
        p.hidden(t.output().length, p.t("outputs"));
    }

    /** The stage's complete settings after its formula ("; approximate = tanh"), or nothing. */
    private static String settings(Trace.StageTrace t, Page p) {
        return t.settings().isEmpty() ? "" : p.t("; ") + t.settings().entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    public void backward(Trace.StageTrace t, Page p) {
        if (t.inputGradient().length == 0) {
            return;
        }
        int l = StageWriter.layer(t);
        double[] hPrime = t.internals().get("h'");
        p.note(hPrime == null ? p.t("Stage %s (%s): the gradient passes through the Jacobian of %s.", l, t.type(), t.type())
                : p.t("Stage %s (%s): %s.", l, t.type(), p.inline("\\partial C/\\partial a^{(" + (l - 1)
                + ")} = \\partial C/\\partial a^{(" + l + ")} \\cdot h'(a^{(" + (l - 1) + ")})", "∂C/∂"
                + p.n.symbol("a", l - 1, "") + " = ∂C/∂" + p.n.symbol("a", l, "") + " · h′(" + p.n.symbol("a", l - 1, "")
                + ")")));
        Layout in = new Layout(t.inputShape());
        for (int k = 0; k < p.shown(t.input().length); k++) {
            p.line(p.grad(p.at("a", l - 1, in.unravel(k))) + " = " + (hPrime == null ? "" : Page.term(t.outputGradient()[k])
                    + p.times() + Page.term(hPrime[k]) + " = ") + Page.num(t.inputGradient()[k]));
        }
        p.hidden(t.input().length, p.t("input gradients"));
    }
}
