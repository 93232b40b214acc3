package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.PoolingKernels;

/**
 * Max pooling, PyTorch's {@code nn.MaxPool2d}: each output is the largest input in its window of
 * its channel (padding counts as −∞; a NaN wins, as in PyTorch). Back propagation hands each
 * output's δ to the input that won, found again from the output: the first input equal to it in
 * the window's row-major order, or the last NaN, PyTorch's choice among ties. So
 * ∂L/∂x = Σ over the windows x won of δ.
 *
 * <p>The winner is looked up in backward rather than recorded in forward: the forward loop then
 * has no data-dependent branch (half the comparisons of random data mispredicted), and inference
 * does not pay for bookkeeping it never uses.
 */
final class MaxPool2dLayer implements Layer {
    private final Window2d window;
    private final Shape outputShape;
    /** Per output row oy: the window rows [kyFrom, kyTo) inside the image, clipped once here. */
    private final int[] kyFrom;
    private final int[] kyTo;
    /** The same per output column ox. */
    private final int[] kxFrom;
    private final int[] kxTo;

    /** The common 2×2 window at stride 2 without padding or dilation: its own unrolled loops. */
    private final boolean pairs;
    /** Pairs on rows of even width, on the Vector API: {@link PoolingKernels#maxPairs} forward. */
    private final boolean vectorPairs;

    MaxPool2dLayer(Window2d window, int channels) {
        this.window = window;
        this.pairs = window.kernelH() == 2 && window.kernelW() == 2 && window.strideH() == 2 && window.strideW() == 2
                && window.padTop() == 0 && window.padLeft() == 0 && window.dilationH() == 1 && window.dilationW() == 1;
        this.vectorPairs = pairs && window.inW() % 2 == 0 && PoolingKernels.available();
        this.outputShape = Shape.of(channels, window.outH(), window.outW());
        kyFrom = new int[window.outH()];
        kyTo = new int[window.outH()];
        clip(window.strideH(), window.padTop(), window.dilationH(), window.kernelH(), window.inH(), kyFrom, kyTo);
        kxFrom = new int[window.outW()];
        kxTo = new int[window.outW()];
        clip(window.strideW(), window.padLeft(), window.dilationW(), window.kernelW(), window.inW(), kxFrom, kxTo);
    }

    /** For each output position o, the taps [from, to) whose input o·stride − pad + k·dilation is inside [0, size). */
    private static void clip(int stride, int pad, int dilation, int kernel, int size, int[] from, int[] to) {
        for (int o = 0; o < from.length; o++) {
            int start = o * stride - pad;
            from[o] = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
            // start + (kernel − 1)·dilation reaches past the end only with padding; the window formula keeps start < size
            to[o] = Math.min(kernel, (size - 1 - start) / dilation + 1);
        }
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    /** The float32 passes over planes, split across threads; one per calling thread. */
    private final ThreadLocal<Pass> passes = PlaneTask.local(Pass::new);

    private final class Pass extends PlaneTask {
        float[] in;
        float[] out;
        float[] delta;
        float[] dx;
        /** Per part, {@link PoolingKernels#maxPairs}'s scratch, made on first use. */
        final float[][] pairsScratch = new float[dev.nnkit.core.kernel.Parallel.maxParts()][];

        @Override
        void planes(int part, int from, int to) {
            if (delta == null && vectorPairs) {
                float[] tmp = pairsScratch[part];
                if (tmp == null) {
                    tmp = pairsScratch[part] = new float[PoolingKernels.pairsScratch(window.inH(), window.inW())];
                }
                for (int plane = from; plane < to; plane++) {
                    PoolingKernels.maxPairs(in, plane * window.inPixels(), window.inH(), window.inW(), out,
                            plane * window.outPixels(), tmp);
                }
            } else if (delta == null) {
                forward(in, out, from, to);
            } else {
                inputGradient(in, out, delta, dx, from, to);
            }
        }

        @Override
        void clear() {
            in = out = delta = dx = null;
        }
    }

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        if (input instanceof Float32Tensor in && output instanceof Float32Tensor out) {
            Pass pass = passes.get();
            pass.in = in.data();
            pass.out = out.data();
            pass.run(out.data().length / window.outPixels(), in.size());
            return;
        }
        Window2d w = window;
        int planes = output.size() / w.outPixels();
        for (int plane = 0, at = 0; plane < planes; plane++) {
            int in0 = plane * w.inPixels();
            for (int oy = 0; oy < w.outH(); oy++) {
                for (int ox = 0; ox < w.outW(); ox++, at++) {
                    int corner = in0 + (oy * w.strideH() - w.padTop()) * w.inW() + ox * w.strideW() - w.padLeft();
                    double best = Double.NEGATIVE_INFINITY;
                    for (int ky = kyFrom[oy]; ky < kyTo[oy]; ky++) {
                        int row = corner + ky * w.dilationH() * w.inW();
                        for (int kx = kxFrom[ox]; kx < kxTo[ox]; kx++) {
                            best = Math.max(best, input.get(row + kx * w.dilationW())); // a NaN wins
                        }
                    }
                    output.set(at, best);
                }
            }
        }
    }

    /** The float32 path over planes [from, to), the same loops on the arrays with the window's numbers in locals. */
    private void forward(float[] in, float[] out, int from, int to) {
        Window2d w = window;
        if (pairs) {
            int inW = w.inW();
            for (int plane = from, at = from * w.outPixels(); plane < to; plane++) {
                for (int oy = 0; oy < w.outH(); oy++) {
                    int top = plane * w.inPixels() + 2 * oy * inW;
                    for (int ox = 0; ox < w.outW(); ox++, at++) {
                        int i = top + 2 * ox;
                        out[at] = Math.max(Math.max(in[i], in[i + 1]), Math.max(in[i + inW], in[i + inW + 1]));
                    }
                }
            }
            return;
        }
        int inW = w.inW();
        int rowStep = w.dilationH() * inW;
        int tapStep = w.dilationW();
        int outH = w.outH();
        int outW = w.outW();
        int[] yFrom = kyFrom;
        int[] yTo = kyTo;
        int[] xFrom = kxFrom;
        int[] xTo = kxTo;
        for (int plane = from, at = from * w.outPixels(); plane < to; plane++) {
            int in0 = plane * w.inPixels() - w.padTop() * inW - w.padLeft();
            for (int oy = 0; oy < outH; oy++) {
                int rowStart = in0 + oy * w.strideH() * inW;
                for (int ox = 0; ox < outW; ox++, at++) {
                    int corner = rowStart + ox * w.strideW();
                    float best = Float.NEGATIVE_INFINITY;
                    for (int ky = yFrom[oy]; ky < yTo[oy]; ky++) {
                        int row = corner + ky * rowStep;
                        for (int kx = xFrom[ox]; kx < xTo[ox]; kx++) {
                            best = Math.max(best, in[row + kx * tapStep]);
                        }
                    }
                    out[at] = best;
                }
            }
        }
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        if (input instanceof Float32Tensor in) {
            Pass pass = passes.get();
            pass.in = in.data();
            pass.out = ((Float32Tensor) output).data();
            pass.delta = ((Float32Tensor) outputGradient).data();
            pass.dx = ((Float32Tensor) inputGradient).data();
            pass.run(output.size() / window.outPixels(), 2L * in.size());
            return;
        }
        inputGradient.fill(0);
        Window2d w = window;
        int planes = output.size() / w.outPixels();
        for (int plane = 0, at = 0; plane < planes; plane++) {
            int in0 = plane * w.inPixels();
            for (int oy = 0; oy < w.outH(); oy++) {
                for (int ox = 0; ox < w.outW(); ox++, at++) {
                    int corner = in0 + (oy * w.strideH() - w.padTop()) * w.inW() + ox * w.strideW() - w.padLeft();
                    double best = output.get(at);
                    int found = -1;
                    for (int ky = kyFrom[oy]; ky < kyTo[oy]; ky++) {
                        int row = corner + ky * w.dilationH() * w.inW();
                        for (int kx = kxFrom[ox]; kx < kxTo[ox]; kx++) {
                            int i = row + kx * w.dilationW();
                            if (wins(input.get(i), best, found)) {
                                found = i;
                            }
                        }
                    }
                    inputGradient.set(found, inputGradient.get(found) + outputGradient.get(at));
                }
            }
        }
    }

    /** The float32 path of {@link #inputGradient} over planes [from, to). */
    private void inputGradient(float[] in, float[] out, float[] delta, float[] dx, int from, int to) {
        Window2d w = window;
        if (pairs) {
            pairsGradient(in, out, delta, dx, from, to);
            return;
        }
        java.util.Arrays.fill(dx, from * w.inPixels(), to * w.inPixels(), 0f);
        int inW = w.inW();
        int rowStep = w.dilationH() * inW;
        int tapStep = w.dilationW();
        for (int plane = from, at = from * w.outPixels(); plane < to; plane++) {
            int in0 = plane * w.inPixels() - w.padTop() * inW - w.padLeft();
            for (int oy = 0; oy < w.outH(); oy++) {
                int rowStart = in0 + oy * w.strideH() * inW;
                for (int ox = 0; ox < w.outW(); ox++, at++) {
                    int corner = rowStart + ox * w.strideW();
                    float best = out[at];
                    int found = -1;
                    if (best != best) {
                        found = lastNaN(in, corner, oy, ox, rowStep, tapStep);
                    } else { // scanned backwards, the last match is the first in row-major order: no branch to mispredict
                        for (int ky = kyTo[oy] - 1; ky >= kyFrom[oy]; ky--) {
                            int row = corner + ky * rowStep;
                            for (int kx = kxTo[ox] - 1; kx >= kxFrom[ox]; kx--) {
                                int i = row + kx * tapStep;
                                found = in[i] == best ? i : found;
                            }
                        }
                    }
                    dx[found] += delta[at];
                }
            }
        }
    }

    /**
     * 2×2 windows at stride 2 tile the image, so each input gets exactly one value: δ where it won,
     * 0 elsewhere, written without first zeroing the planes (and without a read-modify-write per
     * window). Only an odd last row or column, which no window covers, is zeroed.
     */
    private void pairsGradient(float[] in, float[] out, float[] delta, float[] dx, int from, int to) {
        Window2d w = window;
        int inW = w.inW();
        int outH = w.outH();
        int outW = w.outW();
        int inH = w.inH();
        int inPixels = w.inPixels();
        if (vectorPairs && inW >= PoolingKernels.lanes()) {
            for (int plane = from; plane < to; plane++) {
                PoolingKernels.maxPairsGradient(in, plane * inPixels, inH, inW, out, delta, plane * w.outPixels(), dx);
                if ((inH & 1) == 1) {
                    java.util.Arrays.fill(dx, plane * inPixels + (inH - 1) * inW, (plane + 1) * inPixels, 0f);
                }
            }
            return;
        }
        for (int plane = from, at = from * w.outPixels(); plane < to; plane++) {
            int base = plane * inPixels;
            for (int oy = 0; oy < outH; oy++) {
                int top = base + 2 * oy * inW;
                for (int ox = 0; ox < outW; ox++, at++) {
                    int i = top + 2 * ox;
                    float best = out[at];
                    if (best != best) {
                        dx[i] = dx[i + 1] = dx[i + inW] = dx[i + inW + 1] = 0f;
                        dx[lastNaN(in, i, oy, ox, inW, 1)] = delta[at];
                        continue;
                    }
                    // The first match in row-major order takes δ. Masks of all ones or zeros on the bits
                    // of δ, not conditionals: C2 compiles a float ?: to a branch, and on random data the
                    // winner is a coin toss, mispredicted three times in four.
                    int first = in[i] == best ? -1 : 0;
                    int second = ~first & (in[i + 1] == best ? -1 : 0);
                    int third = ~(first | second) & (in[i + inW] == best ? -1 : 0);
                    int fourth = ~(first | second | third);
                    int bits = Float.floatToRawIntBits(delta[at]);
                    dx[i] = Float.intBitsToFloat(bits & first);
                    dx[i + 1] = Float.intBitsToFloat(bits & second);
                    dx[i + inW] = Float.intBitsToFloat(bits & third);
                    dx[i + inW + 1] = Float.intBitsToFloat(bits & fourth);
                }
                if ((inW & 1) == 1) {
                    dx[top + inW - 1] = dx[top + 2 * inW - 1] = 0f;
                }
            }
            if ((inH & 1) == 1) {
                java.util.Arrays.fill(dx, base + (inH - 1) * inW, base + inPixels, 0f);
            }
        }
    }

    private int lastNaN(float[] in, int corner, int oy, int ox, int rowStep, int tapStep) {
        int found = -1;
        for (int ky = kyFrom[oy]; ky < kyTo[oy]; ky++) {
            for (int kx = kxFrom[ox]; kx < kxTo[ox]; kx++) {
                int i = corner + ky * rowStep + kx * tapStep;
                found = in[i] != in[i] ? i : found;
            }
        }
        return found;
    }

    /**
     * Whether input value v is the window's winner for output {@code best}, scanning in row-major
     * order with {@code found} the winner so far (−1 for none): PyTorch's first maximum, or its last
     * NaN. {@code best} is one of the window's values, so a winner is always found (−0 == +0 too).
     */
    private static boolean wins(double v, double best, int found) {
        return best != best ? v != v : found < 0 && v == best;
    }
}
