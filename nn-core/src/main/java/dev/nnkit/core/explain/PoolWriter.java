package dev.nnkit.core.explain;

import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.config.AvgPool2dConfig;
import dev.nnkit.core.config.MaxPool2dConfig;
import dev.nnkit.core.layers.PoolingLayerProviders;
import dev.nnkit.core.layers.Window2d;
import java.util.ArrayList;
import java.util.List;

/**
 * The pooling stages. max-pool2d: each output is the largest value under its window (padding
 * never wins), and backward the whole gradient goes to that winner, the other pixels getting 0.
 * avg-pool2d: the mean of the window (over all its taps with countIncludePad, else over the taps
 * on the image), and backward each pixel gets 1/k of the gradient of every window it is in.
 * global-avg-pool2d: one window as large as the image.
 */
final class PoolWriter implements StageWriter {
    private Window2d w;
    private boolean max;
    private boolean countIncludePad;
    private Layout in;
    private Layout out;

    private void setUp(Trace.StageTrace t) {
        int[] s = t.inputShape();
        max = t.type().equals("max-pool2d");
        if (t.type().equals("global-avg-pool2d")) {
            w = Window2d.of(new AvgPool2dConfig(List.of(s[1], s[2]), List.of(), 0, true), Shape.of(s));
        } else if (max) {
            w = Window2d.of(ConfigBinder.bind(new PoolingLayerProviders.MaxPool2d(), t.settings()), Shape.of(s));
        } else {
            AvgPool2dConfig c = ConfigBinder.bind(new PoolingLayerProviders.AvgPool2d(), t.settings());
            countIncludePad = c.countIncludePad();
            w = Window2d.of(c, Shape.of(s));
        }
        in = new Layout(s);
        out = new Layout(t.outputShape());
    }

    /** The flat input indices under output {@code o}'s window, taps on the padding left out. */
    private List<Integer> window(int o) {
        int[] i = out.unravel(o);
        List<Integer> taps = new ArrayList<>();
        for (int ky = 0; ky < w.kernelH(); ky++) {
            for (int kx = 0; kx < w.kernelW(); kx++) {
                int iy = i[2] * w.strideH() - w.padTop() + ky;
                int ix = i[3] * w.strideW() - w.padLeft() + kx;
                if (iy >= 0 && iy < w.inH() && ix >= 0 && ix < w.inW()) {
                    taps.add(in.flat(i[0], i[1], iy, ix));
                }
            }
        }
        return taps;
    }

    /** The divisor of an average window: its taps on the padded image, or those on the image alone. */
    private int divisor(List<Integer> taps) {
        return countIncludePad ? w.kernelH() * w.kernelW() : taps.size();
    }

    /** The tap that wins a max window as the engine decides (PyTorch's rule): the first largest, or the last NaN. */
    private static int winner(List<Integer> taps, double[] x) {
        int best = taps.get(0);
        for (int k : taps) {
            if (Double.isNaN(x[k]) || !Double.isNaN(x[best]) && x[k] > x[best]) {
                best = k;
            }
        }
        return best;
    }

    @Override
    public void forward(Trace.StageTrace t, Page p) {
        setUp(t);
        int l = StageWriter.layer(t);
        p.note(max ? p.t("Stage %s: max-pool2d, %s×%s windows (stride %s×%s, padding %s×%s): each output is the largest"
                        + " value under its window.", l, w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.padTop(),
                w.padLeft())
                : t.type().equals("global-avg-pool2d") ? p.t("Stage %s: global-avg-pool2d: each output is the mean of"
                + " one channel's %s×%s pixels.", l, w.inH(), w.inW())
                : p.t("Stage %s: avg-pool2d, %s×%s windows (stride %s×%s, padding %s×%s): each output is the mean of its"
                + " window.", l, w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.padTop(), w.padLeft()));
        for (int o = 0; o < p.shown(t.output().length); o++) {
            List<Integer> taps = window(o);
            StringBuilder values = new StringBuilder();
            for (int k = 0; k < p.shown(taps.size()); k++) {
                values.append(k == 0 ? "" : max ? ", " : " + ").append(max ? Page.num(t.input()[taps.get(k)])
                        : Page.term(t.input()[taps.get(k)]));
            }
            String more = taps.size() > p.limit ? (max ? ", …" : p.more(taps.size())) : "";
            String rhs = max ? (p.markdown ? "\\max(" : "max(") + values + more + ")"
                    : "(" + values + more + ") / " + divisor(taps);
            p.line(p.at("a", l, out.unravel(o)) + " = " + rhs + " = " + Page.num(t.output()[o]));
        }
        p.hidden(t.output().length, p.t("outputs"));
    }

    @Override
    public void backward(Trace.StageTrace t, Page p) {
        if (t.inputGradient().length == 0) {
            return;
        }
        setUp(t);
        int l = StageWriter.layer(t);
        p.note(max ? p.t("Stage %s (max-pool2d): each window's gradient %s goes whole to the pixel that won it; the"
                        + " other pixels get 0.", l, p.gradOfStage(l))
                : p.t("Stage %s (%s): each pixel gets %s of every window it is in, divided by the window's divisor.", l,
                t.type(), p.gradOfStage(l)));
        List<List<Integer>> windows = new ArrayList<>();
        for (int o = 0; o < t.output().length; o++) {
            windows.add(window(o));
        }
        for (int k = 0; k < p.shown(t.input().length); k++) {
            Page.Terms sum = p.terms();
            for (int o = 0; o < windows.size(); o++) {
                List<Integer> taps = windows.get(o);
                if (max ? winner(taps, t.input()) == k : taps.contains(k)) {
                    String g = Page.term(t.outputGradient()[o]);
                    sum.add(max ? g : g + " / " + divisor(taps));
                }
            }
            p.line(p.grad(p.at("a", l - 1, in.unravel(k))) + " = " + sum.equalTo(t.inputGradient()[k]));
        }
        p.hidden(t.input().length, p.t("input gradients"));
    }
}
