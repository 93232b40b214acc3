package dev.nnkit.core.explain;

import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.core.config.BatchNormConfig;
import dev.nnkit.core.layers.NormalizationLayerProviders;
import java.util.ArrayList;
import java.util.List;

/**
 * batch-norm in training: per channel (or feature) c over the M values the batch holds of it,
 * μ = Σx/M, σ² = Σ(x − μ)²/M, x̂ = (x − μ)/√(σ² + ε), a = γ·x̂ + β; the running statistics move
 * toward the batch's by the momentum (the variance unbiased: σ²·M/(M − 1)). Backward:
 * ∂C/∂γ = Σ g·x̂, ∂C/∂β = Σ g, ∂C/∂x = γ/(M·√(σ² + ε))·(M·g − Σg − x̂·Σ g·x̂), where g = ∂C/∂a.
 * μ, σ² and x̂ are computed here from the stage's input as written; every result is the engine's.
 */
final class BatchNormWriter implements StageWriter {
    private BatchNormConfig config;
    private int channels;
    private Layout in;

    private void setUp(Trace.StageTrace t) {
        config = ConfigBinder.bind(new NormalizationLayerProviders.BatchNorm(), t.settings());
        channels = t.inputShape()[0];
        in = new Layout(t.inputShape());
    }

    /** The flat indices of channel {@code c}'s values across the batch, in order. */
    private List<Integer> members(Trace.StageTrace t, int c) {
        List<Integer> m = new ArrayList<>();
        for (int k = 0; k < t.input().length; k++) {
            if (in.unravel(k)[1] == c) {
                m.add(k);
            }
        }
        return m;
    }

    private static double mean(double[] x, List<Integer> m) {
        double s = 0;
        for (int k : m) {
            s += x[k];
        }
        return s / m.size();
    }

    private static double variance(double[] x, List<Integer> m, double mu) {
        double s = 0;
        for (int k : m) {
            s += (x[k] - mu) * (x[k] - mu);
        }
        return s / m.size();
    }

    private double gamma(Trace.StageTrace t, int c) {
        return t.parameter("weight").map(w -> w.value()[c]).orElse(1.0);
    }

    @Override
    public void forward(Trace.StageTrace t, Page p) {
        setUp(t);
        int l = StageWriter.layer(t);
        String over = t.inputShape().length == 1 ? p.t("features") : p.t("channels");
        p.note(config.affine()
                ? p.t("Stage %s: batch-norm over %s %s (momentum %s, ε = %s): each is normalized with the batch's mean"
                + " and variance, then scaled by γ and shifted by β.", l, channels, over, Page.num(config.momentum()),
                Page.num(config.eps()))
                : p.t("Stage %s: batch-norm over %s %s (momentum %s, ε = %s): each is normalized with the batch's mean"
                + " and variance (no γ and β: affine is off).", l, channels, over, Page.num(config.momentum()),
                Page.num(config.eps())));
        for (int c = 0; c < p.shown(channels); c++) {
            List<Integer> m = members(t, c);
            double mu = mean(t.input(), m);
            double var = variance(t.input(), m, mu);
            Page.Terms sum = p.terms();
            Page.Terms squares = p.terms();
            for (int k : m) {
                sum.add(Page.term(t.input()[k]));
                squares.add("(" + Page.num(t.input()[k]) + " - " + Page.term(mu) + ")" + (p.markdown ? "^2" : "²"));
            }
            p.line((p.markdown ? "\\mu" : "μ") + "[" + c + "] = (" + sum + ") / " + m.size() + " = " + Page.num(mu));
            p.line((p.markdown ? "\\sigma^2" : "σ²") + "[" + c + "] = (" + squares + ") / " + m.size() + " = " + Page.num(var));
            double scale = Math.sqrt(var + config.eps());
            for (int j = 0; j < p.shown(m.size()); j++) {
                int k = m.get(j);
                double xHat = (t.input()[k] - mu) / scale;
                String gb = config.affine() ? " = " + Page.term(gamma(t, c)) + p.times() + Page.term(xHat) + " + "
                        + Page.term(t.parameter("bias").orElseThrow().value()[c]) : "";
                p.line((p.markdown ? "\\hat{x} = (" : "x̂ = (")
                        + Page.num(t.input()[k]) + " - " + Page.term(mu) + ") / " + p.sqrt(Page.num(var) + " + "
                        + Page.num(config.eps())) + " = " + Page.num(xHat) + (p.markdown ? ",\\quad " : ",  ")
                        + p.at("a", l, in.unravel(k)) + (config.affine() ? (p.markdown ? " = \\gamma\\hat{x} + \\beta" : " = γ·x̂ + β") : "")
                        + gb + " = " + Page.num(t.output()[k]));
            }
            p.hidden(m.size(), p.t("values"));
            running(t, p, c, mu, var, m.size());
        }
        p.hidden(channels, p.t("channels"));
    }

    /** The running statistics after the step, from the engine's buffers. */
    private void running(Trace.StageTrace t, Page p, int c, double mu, double var, int count) {
        String decay = "(1 - " + Page.num(config.momentum()) + ")" + p.times();
        String batch = " + " + Page.num(config.momentum()) + p.times();
        t.buffer("running_mean").ifPresent(b -> p.line(name(p, "running_mean", c) + decay + Page.term(b.before()[c])
                + batch + Page.term(mu) + " = " + Page.num(b.after()[c])));
        t.buffer("running_var").ifPresent(b -> p.line(name(p, "running_var", c) + decay + Page.term(b.before()[c])
                + batch + Page.term(var) + p.times() + count + " / " + (count - 1) + " = " + Page.num(b.after()[c])));
    }

    private static String name(Page p, String buffer, int c) {
        return (p.markdown ? "\\mathrm{" + buffer.replace("_", "\\_") + "}" : buffer) + "[" + c + "] " + p.n.arrow() + " ";
    }

    @Override
    public void backward(Trace.StageTrace t, Page p) {
        setUp(t);
        int l = StageWriter.layer(t);
        String g = p.gradOfStage(l);
        String back = p.inline("\\frac{" + (config.affine() ? "\\gamma" : "1") + "}{M\\sqrt{\\sigma^2+\\epsilon}}(M g - \\sum g"
                + " - \\hat{x}\\sum g\\hat{x})", (config.affine() ? "γ" : "1") + "/(M·√(σ² + ε))·(M·g − Σg − x̂·Σ g·x̂)");
        p.note(config.affine()
                ? p.t("Stage %s (batch-norm): with g = %s, %s and %s, and the gradient passed back is %s.", l, g,
                p.inline("\\partial C/\\partial \\gamma = \\sum g \\hat{x}", "∂C/∂γ = Σ g·x̂"),
                p.inline("\\partial C/\\partial \\beta = \\sum g", "∂C/∂β = Σ g"), back)
                : p.t("Stage %s (batch-norm): with g = %s, the gradient passed back is %s; its two sums come first.", l,
                g, back));
        for (int c = 0; c < p.shown(channels); c++) {
            List<Integer> m = members(t, c);
            double mu = mean(t.input(), m);
            double scale = Math.sqrt(variance(t.input(), m, mu) + config.eps());
            Page.Terms gx = p.terms();
            Page.Terms gs = p.terms();
            double sumG = 0;
            double sumGx = 0;
            for (int k : m) {
                double xHat = (t.input()[k] - mu) / scale;
                gx.product(t.outputGradient()[k], xHat);
                gs.add(Page.term(t.outputGradient()[k]));
                sumG += t.outputGradient()[k];
                sumGx += t.outputGradient()[k] * xHat;
            }
            String index = "[" + c + "]";
            if (config.affine()) { // the sums are the parameters' gradients, the engine's values
                p.line(p.grad((p.markdown ? "\\gamma" : "γ") + index) + " = " + gx.equalTo(
                        t.parameter("weight").orElseThrow().gradient()[c]));
                p.line(p.grad((p.markdown ? "\\beta" : "β") + index) + " = " + gs.equalTo(
                        t.parameter("bias").orElseThrow().gradient()[c]));
            } else {
                p.line((p.markdown ? "\\sum g\\hat{x}" : "Σ g·x̂") + index + " = " + gx.equalTo(sumGx));
                p.line((p.markdown ? "\\sum g" : "Σ g") + index + " = " + gs.equalTo(sumG));
            }
            if (t.inputGradient().length == 0) {
                continue;
            }
            for (int j = 0; j < p.shown(m.size()); j++) {
                int k = m.get(j);
                double xHat = (t.input()[k] - mu) / scale;
                p.line(p.grad(p.at("a", l - 1, in.unravel(k))) + " = " + Page.term(gamma(t, c)) + " / (" + m.size()
                        + p.times() + p.sqrt(Page.num(variance(t.input(), m, mu)) + " + " + Page.num(config.eps())) + ")" + p.times() + "(" + m.size() + p.times()
                        + Page.term(t.outputGradient()[k]) + " - " + Page.term(sumG) + " - " + Page.term(xHat) + p.times()
                        + Page.term(sumGx) + ") = " + Page.num(t.inputGradient()[k]));
            }
            p.hidden(m.size(), p.t("input gradients"));
        }
        p.hidden(channels, p.t("channels"));
    }
}
