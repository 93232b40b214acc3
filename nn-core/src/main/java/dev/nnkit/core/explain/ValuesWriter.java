package dev.nnkit.core.explain;

/**
 * A plugin layer nnkit has no derivation for: its outputs, its parameters' gradients and the
 * gradient it passes back are written as values, with its formula as its plugin describes it.
 */
final class ValuesWriter implements StageWriter {
    @Override
    public void forward(Trace.StageTrace t, Page p) {
        int l = StageWriter.layer(t);
        p.note(p.t("Stage %s: %s", l, t.type()) + (t.formula().isEmpty() ? "" : p.paren(p.formula(t.formula()))) + p.t(". ")
                + p.t("Its outputs, as the layer computed them:"));
        Layout out = new Layout(t.outputShape());
        for (int k = 0; k < p.shown(t.output().length); k++) {
            p.line(p.at("a", l, out.unravel(k)) + " = " + Page.num(t.output()[k]));
        }
        p.hidden(t.output().length, p.t("outputs"));
    }

    @Override
    public void backward(Trace.StageTrace t, Page p) {
        int l = StageWriter.layer(t);
        p.note(p.t("Stage %s (%s): the gradients its backward pass computed:", l, t.type()));
        for (Trace.ParameterValues v : t.parameters()) {
            Layout shape = new Layout(v.shape());
            for (int k = 0; k < p.shown(v.value().length); k++) {
                int[] i = shape.unravel(k);
                p.line(p.grad(p.at(v.name(), -1, java.util.Arrays.copyOfRange(i, 1, i.length))) + " = "
                        + Page.num(v.gradient()[k]));
            }
            p.hiddenOf(v.value().length, v.name());
        }
        if (t.inputGradient().length > 0) {
            Layout in = new Layout(t.inputShape());
            for (int k = 0; k < p.shown(t.input().length); k++) {
                p.line(p.grad(p.at("a", l - 1, in.unravel(k))) + " = " + Page.num(t.inputGradient()[k]));
            }
            p.hidden(t.input().length, p.t("input gradients"));
        }
    }
}
