package dev.nnkit.core.explain;

/**
 * dense within a network of other layers, sample by sample: a⁽ˡ⁾[n, i] = Σⱼ W[i, j]·a⁽ˡ⁻¹⁾[n, j]
 * + b[i], the input read as one row (an image as its flattened pixels). Backward:
 * ∂C/∂W[i, j] = Σₙ g[n, i]·a⁽ˡ⁻¹⁾[n, j], ∂C/∂b[i] = Σₙ g[n, i], ∂C/∂a⁽ˡ⁻¹⁾[n, j] = Σᵢ W[i, j]·g[n, i].
 */
final class DenseWriter implements StageWriter {
    @Override
    public void forward(Trace.StageTrace t, Page p) {
        int l = StageWriter.layer(t);
        Trace.ParameterValues w = t.parameter("weight").orElseThrow();
        double[] b = t.parameter("bias").map(Trace.ParameterValues::value).orElse(null);
        int units = w.shape()[0];
        int inputs = w.shape()[1];
        p.note(p.t("Stage %s: dense, %s units over %s inputs: each output is its bias plus its row of weights times"
                + " the inputs.", l, units, inputs));
        for (int k = 0; k < p.shown(t.output().length); k++) {
            int n = k / units;
            int i = k % units;
            Page.Terms sum = p.terms();
            if (b != null) {
                sum.add(Page.term(b[i]));
            }
            for (int j = 0; j < inputs; j++) {
                sum.product(w.value()[i * inputs + j], t.input()[n * inputs + j]);
            }
            p.line(p.at("a", l, n, i) + " = " + sum.equalTo(t.output()[k]));
        }
        p.hidden(t.output().length, p.t("outputs"));
    }

    @Override
    public void backward(Trace.StageTrace t, Page p) {
        int l = StageWriter.layer(t);
        Trace.ParameterValues w = t.parameter("weight").orElseThrow();
        int units = w.shape()[0];
        int inputs = w.shape()[1];
        int batch = t.output().length / units;
        p.note(p.t("Stage %s (dense): the gradient of each weight is the sum over the batch of %s times the weight's"
                + " input; the gradient of each bias is the sum of %s.", l, p.gradOfStage(l), p.gradOfStage(l)));
        for (int k = 0; k < p.shown(w.value().length); k++) {
            int i = k / inputs;
            int j = k % inputs;
            Page.Terms sum = p.terms();
            for (int n = 0; n < batch; n++) {
                sum.product(t.outputGradient()[n * units + i], t.input()[n * inputs + j]);
            }
            p.line(p.grad(p.at("W", l, i, j)) + " = " + sum.equalTo(w.gradient()[k]));
        }
        p.hidden(w.value().length, p.t("weights"));
        t.parameter("bias").ifPresent(b -> {
            for (int i = 0; i < p.shown(units); i++) {
                Page.Terms sum = p.terms();
                for (int n = 0; n < batch; n++) {
                    sum.add(Page.term(t.outputGradient()[n * units + i]));
                }
                p.line(p.grad(p.at("b", l, i)) + " = " + sum.equalTo(b.gradient()[i]));
            }
            p.hidden(units, p.t("biases"));
        });
        if (t.inputGradient().length == 0) {
            return;
        }
        p.note(p.t("The gradient passed back: the gradient of each input is the sum of its column of weights times %s.",
                p.gradOfStage(l)));
        for (int k = 0; k < p.shown(t.input().length); k++) {
            int n = k / inputs;
            int j = k % inputs;
            Page.Terms sum = p.terms();
            for (int i = 0; i < units; i++) {
                sum.product(w.value()[i * inputs + j], t.outputGradient()[n * units + i]);
            }
            p.line(p.grad(p.at("a", l - 1, n, j)) + " = " + sum.equalTo(t.inputGradient()[k]));
        }
        p.hidden(t.input().length, p.t("input gradients"));
    }
}
