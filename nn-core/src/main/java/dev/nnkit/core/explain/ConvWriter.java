package dev.nnkit.core.explain;

import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.config.Conv2dConfig;
import dev.nnkit.core.layers.Conv2dLayerProvider;
import dev.nnkit.core.layers.Window2d;

/**
 * conv2d: a⁽ˡ⁾[n, f, y, x] = b[f] + Σ W[f, c, ky, kx]·a⁽ˡ⁻¹⁾[n, c, y·s − p + ky·d, x·s − p + kx·d]
 * over the channels of f's group and the kernel's taps; a tap on the padding adds 0 and is left
 * out. Backward, each weight's gradient sums δ·input over every position the weight touched, the
 * bias's sums δ, and an input pixel's gradient sums weight·δ over every output that read it.
 */
final class ConvWriter implements StageWriter {
    private Window2d w;
    private int channels;
    private int groups;
    private int channelsPerGroup;
    private int filtersPerGroup;
    private Layout in;
    private Layout out;

    private void setUp(Trace.StageTrace t) {
        Conv2dConfig c = ConfigBinder.bind(new Conv2dLayerProvider(), t.settings());
        w = Window2d.of(c, Shape.of(t.inputShape()));
        channels = t.inputShape()[0];
        groups = c.groups();
        channelsPerGroup = channels / c.groups();
        filtersPerGroup = c.filters() / c.groups();
        in = new Layout(t.inputShape());
        out = new Layout(t.outputShape());
    }

    @Override
    public void forward(Trace.StageTrace t, Page p) {
        setUp(t);
        int l = StageWriter.layer(t);
        double[] weight = t.parameter("weight").orElseThrow().value();
        double[] bias = t.parameter("bias").map(Trace.ParameterValues::value).orElse(null);
        boolean same = "same".equals(t.settings().get("padding"));
        boolean padded = same || w.padTop() + w.padLeft() > 0;
        p.note(p.t("Stage %s: conv2d, filters: %s of %s×%s; input channels: %s%s; stride %s×%s, padding %s, dilation %s×%s."
                        + " Each output pixel is its filter's bias plus the sum of the filter's weights times the pixels"
                        + " under them.", l, t.outputShape()[0], w.kernelH(), w.kernelW(), channels,
                groups > 1 ? p.t(", in %s groups (a filter sees only its group's %s channels)", groups, channelsPerGroup) : "",
                w.strideH(), w.strideW(), same ? p.t("\"same\" (top and left %s×%s, the rest at the bottom and right)",
                        w.padTop(), w.padLeft()) : w.padTop() + "×" + w.padLeft(), w.dilationH(), w.dilationW())
                + (padded ? p.gap() + p.t("Taps that fall on the padding add 0 and are left out.") : ""));
        int total = t.output().length;
        for (int o = 0; o < p.shown(total); o++) {
            int[] i = out.unravel(o);
            int n = i[0], f = i[1], oy = i[2], ox = i[3];
            Page.Terms sum = p.terms();
            if (bias != null) {
                sum.add(Page.term(bias[f]));
            }
            int group = f / filtersPerGroup;
            for (int cg = 0; cg < channelsPerGroup; cg++) {
                for (int ky = 0; ky < w.kernelH(); ky++) {
                    for (int kx = 0; kx < w.kernelW(); kx++) {
                        int iy = oy * w.strideH() - w.padTop() + ky * w.dilationH();
                        int ix = ox * w.strideW() - w.padLeft() + kx * w.dilationW();
                        if (iy >= 0 && iy < w.inH() && ix >= 0 && ix < w.inW()) {
                            sum.product(weight[((f * channelsPerGroup + cg) * w.kernelH() + ky) * w.kernelW() + kx],
                                    t.input()[in.flat(n, group * channelsPerGroup + cg, iy, ix)]);
                        }
                    }
                }
            }
            p.line(p.at("a", l, n, f, oy, ox) + " = " + sum.equalTo(t.output()[o]));
        }
        p.hidden(total, p.t("outputs"));
    }

    @Override
    public void backward(Trace.StageTrace t, Page p) {
        setUp(t);
        int l = StageWriter.layer(t);
        Trace.ParameterValues weight = t.parameter("weight").orElseThrow();
        p.note(p.t("Stage %s (conv2d): the gradient of each weight is the sum, over every output pixel and sample, of"
                + " %s times the input pixel the weight multiplied; the gradient of each bias is the sum of %s over its"
                + " filter's pixels.", l, p.gradOfStage(l), p.gradOfStage(l)));
        Layout wl = new Layout(weight.shape());
        for (int k = 0; k < p.shown(weight.value().length); k++) {
            int[] wi = wl.unravel(k); // [0, f, cg, ky, kx]
            int f = wi[1], cg = wi[2], ky = wi[3], kx = wi[4];
            int c = f / filtersPerGroup * channelsPerGroup + cg;
            Page.Terms sum = p.terms();
            for (int n = 0; n < t.input().length / in.size(); n++) {
                for (int oy = 0; oy < w.outH(); oy++) {
                    for (int ox = 0; ox < w.outW(); ox++) {
                        int iy = oy * w.strideH() - w.padTop() + ky * w.dilationH();
                        int ix = ox * w.strideW() - w.padLeft() + kx * w.dilationW();
                        if (iy >= 0 && iy < w.inH() && ix >= 0 && ix < w.inW()) {
                            sum.product(t.outputGradient()[out.flat(n, f, oy, ox)], t.input()[in.flat(n, c, iy, ix)]);
                        }
                    }
                }
            }
            p.line(p.grad(p.at("W", l, f, cg, ky, kx)) + " = " + sum.equalTo(weight.gradient()[k]));
        }
        p.hidden(weight.value().length, p.t("weights"));
        t.parameter("bias").ifPresent(b -> {
            for (int f = 0; f < p.shown(b.value().length); f++) {
                Page.Terms sum = p.terms();
                for (int o = 0; o < t.output().length; o++) {
                    if (out.unravel(o)[1] == f) {
                        sum.add(Page.term(t.outputGradient()[o]));
                    }
                }
                p.line(p.grad(p.at("b", l, f)) + " = " + sum.equalTo(b.gradient()[f]));
            }
            p.hidden(b.value().length, p.t("biases"));
        });
        if (t.inputGradient().length == 0) {
            return;
        }
        p.note(p.t("The gradient passed back: the gradient of each input pixel is the sum, over every output pixel whose"
                + " window covered it, of the weight that multiplied it times %s.", p.gradOfStage(l)));
        for (int k = 0; k < p.shown(t.input().length); k++) {
            int[] i = in.unravel(k);
            int n = i[0], c = i[1], iy = i[2], ix = i[3];
            int group = c / channelsPerGroup;
            Page.Terms sum = p.terms();
            for (int f = group * filtersPerGroup; f < (group + 1) * filtersPerGroup; f++) {
                for (int ky = 0; ky < w.kernelH(); ky++) {
                    for (int kx = 0; kx < w.kernelW(); kx++) {
                        int y = iy + w.padTop() - ky * w.dilationH();
                        int x = ix + w.padLeft() - kx * w.dilationW();
                        if (y >= 0 && x >= 0 && y % w.strideH() == 0 && x % w.strideW() == 0 && y / w.strideH() < w.outH()
                                && x / w.strideW() < w.outW()) {
                            sum.product(weight.value()[((f * channelsPerGroup + c % channelsPerGroup) * w.kernelH() + ky)
                                    * w.kernelW() + kx], t.outputGradient()[out.flat(n, f, y / w.strideH(), x / w.strideW())]);
                        }
                    }
                }
            }
            p.line(p.grad(p.at("a", l - 1, n, c, iy, ix)) + " = " + sum.equalTo(t.inputGradient()[k]));
        }
        p.hidden(t.input().length, p.t("input gradients"));
    }
}
