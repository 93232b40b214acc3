package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.ConvolutionKernels;
import dev.nnkit.core.kernel.Parallel;

/**
 * A float32 convolution at stride 1 with one group, computed directly, sample by sample, with no
 * patch matrix: each sample's image is zero-padded into a "wide" buffer (rows of Wp pixels), where
 * every tap of the kernel is one offset, and {@link ConvolutionKernels#direct} adds each input
 * channel and tap into the output channels a vector of pixels at a time. The gradient passed back
 * is the same loop on the output gradient, padded by the kernel's reach, with the weights flipped
 * and transposed; the weight gradient sums output gradient × shifted input over the pixels.
 * Threads take whole samples (and blocks of samples for the weight and bias gradients, whose
 * per-block sums are added in block order, so the bits do not depend on the thread count).
 */
final class DirectConvolution {
    /** Samples whose weight-gradient sums one thread accumulates before they are added in order. */
    private static final int SAMPLES_PER_BLOCK = 4;

    private final Window2d w;
    /**
     * The window's sizes, copied out of the record: C2 left some of its accessor calls in the copy
     * loops un-inlined (1–2% of the CNN's step).
     */
    private final int inH;
    private final int inW;
    private final int outH;
    private final int outW;
    private final int padTop;
    private final int padLeft;
    private final int inPixels;
    private final int outPixels;
    private final int channels;
    private final int filters;
    private final Parameter weight;
    private final Parameter bias;
    private final boolean hasBias;
    private final int lanes = ConvolutionKernels.lanes(); // only built when the kernels are available
    // Forward: the input padded to hp × wp; output pixel p = oy·wp + ox, tap t reads p + offsets[t].
    private final int hp;
    private final int wp;
    private final int plane;
    private final int length;
    private final int outPlane;
    /** Where input channel c's tap t starts, at index c·taps + t (the kernel's one loop runs over both). */
    private final int[] offsets;
    // Backward: the output gradient padded by the kernel's reach (a, b) into rows of s pixels.
    private final int a;
    private final int b;
    private final int s;
    private final int gradientPlane;
    private final int backLength;
    private final int backPlane;
    private final int[] backOffsets;
    /**
     * The weight gradient takes a block of samples in one pass: channel c of sample j at
     * c·count·slot + j·slot (input) and f·count·slot + j·slot (output gradient), so every
     * (channel, tap) is one run over the whole block; blockTaps[count] are its starts.
     */
    private final int slot;
    private final int[][] blockTaps;
    private final Shape blockInputShape;
    private final Shape blockGradientShape;
    private final Shape xpShape;
    private final Shape wideShape;
    private final Shape gpShape;
    private final Shape dxpShape;
    private final Shape flippedShape;
    private final Shape stageShape;
    private final ThreadLocal<Pass> passes = PlaneTask.local(Pass::new);
    private static final String[][] NAMES = names("directPadded", "directWide", "directGradient", "directBack",
            "directWeight", "directBias", "directBlockInput", "directBlockGradient", "directStage");
    private Shape weightSumsShape;
    private Shape biasSumsShape;
    private int sumsBatch = -1;

    DirectConvolution(Window2d w, int channels, Parameter weight, Parameter bias, boolean hasBias) {
        this.w = w;
        this.inH = w.inH();
        this.inW = w.inW();
        this.outH = w.outH();
        this.outW = w.outW();
        this.padTop = w.padTop();
        this.padLeft = w.padLeft();
        this.inPixels = w.inPixels();
        this.outPixels = w.outPixels();
        this.channels = channels;
        this.filters = weight.value().shape().dim(0);
        this.weight = weight;
        this.bias = bias;
        this.hasBias = hasBias;
        int reachH = (w.kernelH() - 1) * w.dilationH();
        int reachW = (w.kernelW() - 1) * w.dilationW();
        this.hp = w.outH() + reachH;
        this.wp = w.outW() + reachW;
        this.plane = hp * wp;
        this.length = (w.outH() - 1) * wp + w.outW();
        this.outPlane = roundUp(length);
        this.a = reachH;
        this.b = reachW;
        this.s = wp + b;
        this.gradientPlane = (hp + a) * s;
        this.backLength = (hp - 1) * s + wp;
        this.backPlane = roundUp(backLength);
        int taps = w.taps();
        this.offsets = new int[channels * taps];
        this.backOffsets = new int[filters * taps];
        for (int ky = 0; ky < w.kernelH(); ky++) {
            for (int kx = 0; kx < w.kernelW(); kx++) {
                int t = ky * w.kernelW() + kx;
                for (int c = 0; c < channels; c++) {
                    offsets[c * taps + t] = c * plane + ky * w.dilationH() * wp + kx * w.dilationW();
                }
                for (int f = 0; f < filters; f++) {
                    backOffsets[f * taps + t] = f * gradientPlane + ky * w.dilationH() * s + kx * w.dilationW();
                }
            }
        }
        this.slot = roundUp(Math.max(plane, outPlane));
        this.blockTaps = new int[SAMPLES_PER_BLOCK + 1][];
        for (int count = 1; count <= SAMPLES_PER_BLOCK; count++) {
            blockTaps[count] = new int[channels * taps];
            for (int j = 0; j < channels * taps; j++) {
                blockTaps[count][j] = j / taps * count * slot + offsets[j] - j / taps * plane;
            }
        }
        this.blockInputShape = Shape.of(channels * SAMPLES_PER_BLOCK * slot + plane + lanes);
        this.blockGradientShape = Shape.of(filters * SAMPLES_PER_BLOCK * slot);
        this.xpShape = Shape.of(channels * plane + lanes);
        this.wideShape = Shape.of(filters * outPlane);
        this.gpShape = Shape.of(filters * gradientPlane + lanes);
        this.dxpShape = Shape.of(channels * backPlane);
        this.flippedShape = Shape.of(channels * filters * w.taps());
        this.stageShape = Shape.of((channels * w.taps() + 12) * lanes);
    }

    /** Whether this way computes a convolution: float32, stride 1, one group, on the Vector API loops. */
    static boolean suits(DType dtype, Window2d w, int groups) {
        return dtype == DType.FLOAT32 && groups == 1 && w.strideH() == 1 && w.strideW() == 1
                && ConvolutionKernels.available();
    }

    private int roundUp(int n) {
        return (n + lanes - 1) / lanes * lanes;
    }

    private static String[][] names(String... prefixes) {
        String[][] n = new String[prefixes.length][Parallel.maxParts()];
        for (int k = 0; k < prefixes.length; k++) {
            for (int i = 0; i < n[k].length; i++) {
                n[k][i] = prefixes[k] + i;
            }
        }
        return n;
    }

    private enum Op { FORWARD, PARAMETER_GRADIENTS, INPUT_GRADIENT }

    /** One call, split across threads by sample (or block of samples); one per calling thread. */
    private final class Pass extends PlaneTask {
        Op op;
        float[] input;
        float[] output;
        float[] flipped;
        float[] weightSums;
        float[] biasSums;
        int batch;
        final float[][] padded = new float[Parallel.maxParts()][];
        final float[][] wide = new float[Parallel.maxParts()][];
        final float[][] gradient = new float[Parallel.maxParts()][];
        final float[][] back = new float[Parallel.maxParts()][];
        final float[][] dw = new float[Parallel.maxParts()][];
        final float[][] blockInput = new float[Parallel.maxParts()][];
        final float[][] blockGradient = new float[Parallel.maxParts()][];
        final float[][] db = new float[Parallel.maxParts()][];
        final float[][] stage = new float[Parallel.maxParts()][];
        /**
         * Per part, the scratch arrays already zeroed (padded input, padded gradient, block input,
         * block gradient) and the block size they were laid out for: the loops write only the
         * image inside the padding, always at the same places, so an array is zeroed once, not
         * per sample (that zeroing was a tenth of the CNN's step).
         */
        final float[][][] zeroed = new float[Parallel.maxParts()][4][];
        final int[] zeroedCount = new int[Parallel.maxParts()];

        @Override
        void planes(int part, int from, int to) {
            for (int k = from; k < to; k++) {
                switch (op) {
                    case FORWARD -> forwardSample(k, zeroOnce(padded[part], part, 0), wide[part]);
                    case INPUT_GRADIENT -> inputGradientSample(k, zeroOnce(gradient[part], part, 1), back[part]);
                    case PARAMETER_GRADIENTS -> gradientBlock(k, part);
                }
            }
        }

        @Override
        void clear() {
            input = output = flipped = weightSums = biasSums = null;
        }

        /** {@code a}, zeroed unless it is the array this part last zeroed as {@code kind}. */
        private float[] zeroOnce(float[] a, int part, int kind) {
            if (zeroed[part][kind] != a) {
                java.util.Arrays.fill(a, 0f);
                zeroed[part][kind] = a;
            }
            return a;
        }

        private void forwardSample(int n, float[] xp, float[] out) {
            pad(input, n, xp);
            ConvolutionKernels.direct(xp, 0, offsets, data(weight.value()), filters, hasBias ? data(bias.value()) : null,
                    out, 0, outPlane, length);
            int at = n * filters * outPixels;
            int end = at + filters * outPixels; // the next sample may be another thread's
            for (int f = 0; f < filters; f++) {
                ConvolutionKernels.copyRows(out, f * outPlane, wp, output, at + f * outPixels, outW, outH, end);
            }
        }

        /** Samples of block k: their weight and bias gradient sums, into row k of the block sums. */
        private void gradientBlock(int k, int part) {
            float[] xb = blockInput[part];
            float[] gb = blockGradient[part];
            float[] dwPart = dw[part];
            float[] dbPart = db[part];
            int first = k * SAMPLES_PER_BLOCK;
            int count = Math.min(batch, first + SAMPLES_PER_BLOCK) - first;
            int run = count * slot;
            if (zeroedCount[part] != count) { // another block size left values where this one reads zeros: times a
                // zero gradient, but a non-finite one would still poison the sums
                zeroed[part][2] = zeroed[part][3] = null;
                zeroedCount[part] = count;
            }
            zeroOnce(xb, part, 2);
            zeroOnce(gb, part, 3);
            java.util.Arrays.fill(dwPart, 0f);
            java.util.Arrays.fill(dbPart, 0f);
            for (int j = 0; j < count; j++) {
                int n = first + j;
                int from = n * channels * inPixels;
                for (int c = 0; c < channels; c++) {
                    for (int y = 0; y < inH; y++) {
                        System.arraycopy(input, from + (c * inH + y) * inW, xb, c * run + j * slot
                                + (y + padTop) * wp + padLeft, inW);
                    }
                }
                int at = n * filters * outPixels;
                for (int f = 0; f < filters; f++) {
                    for (int oy = 0; oy < outH; oy++) {
                        System.arraycopy(output, at + (f * outH + oy) * outW, gb, f * run + j * slot + oy * wp,
                                outW);
                    }
                }
            }
            ConvolutionKernels.weightSums(gb, 0, run, filters, xb, 0, blockTaps[count], dwPart, run, stage[part]);
            ConvolutionKernels.sums(gb, 0, run, filters, dbPart, run, stage[part]); // ∂L/∂b: g is 0 off the image
            System.arraycopy(dwPart, 0, weightSums, k * dwPart.length, dwPart.length);
            System.arraycopy(dbPart, 0, biasSums, k * dbPart.length, dbPart.length);
        }

        /** Sample n's ∂L/∂x (into {@code input}) from its ∂L/∂z (in {@code output}). */
        private void inputGradientSample(int n, float[] gp, float[] dxp) {
            int at = n * filters * outPixels;
            for (int f = 0; f < filters; f++) {
                for (int oy = 0; oy < outH; oy++) {
                    System.arraycopy(output, at + (f * outH + oy) * outW, gp, f * gradientPlane + (oy + a) * s + b,
                            outW);
                }
            }
            ConvolutionKernels.direct(gp, 0, backOffsets, flipped, channels, null, dxp, 0, backPlane, backLength);
            int to = n * channels * inPixels;
            for (int c = 0; c < channels; c++) {
                ConvolutionKernels.copyRows(dxp, c * backPlane + padTop * s + padLeft, s, input, to + c * inPixels, inW,
                        inH, to + channels * inPixels);
            }
        }

        void run(Op op, Tensor input, Tensor output, PassContext context, int planes) {
            for (int part = 0; part < padded.length; part++) {
                if (op == Op.FORWARD) {
                    padded[part] = data(context.scratch(NAMES[0][part], xpShape));
                    wide[part] = data(context.scratch(NAMES[1][part], wideShape));
                }
                if (op == Op.INPUT_GRADIENT) {
                    gradient[part] = data(context.scratch(NAMES[2][part], gpShape));
                    back[part] = data(context.scratch(NAMES[3][part], dxpShape));
                }
                if (op == Op.PARAMETER_GRADIENTS) {
                    blockInput[part] = data(context.scratch(NAMES[6][part], blockInputShape));
                    blockGradient[part] = data(context.scratch(NAMES[7][part], blockGradientShape));
                    dw[part] = data(context.scratch(NAMES[4][part], weight.gradient().shape()));
                    db[part] = data(context.scratch(NAMES[5][part], bias.gradient().shape()));
                    stage[part] = data(context.scratch(NAMES[8][part], stageShape));
                }
            }
            this.op = op;
            this.input = data(input);
            this.output = data(output);
            this.batch = input.shape().dim(0);
            run(planes, (long) batch * filters * channels * w.taps() * outPixels);
        }
    }

    private static float[] data(Tensor t) {
        return ((Float32Tensor) t).data();
    }

    /** Sample n of images [batch, C, H, W] into xp: C planes of hp × wp, the image at (padTop, padLeft); the
     * zeros around it are xp's, zeroed once. */
    private void pad(float[] images, int n, float[] xp) {
        int from = n * channels * inPixels;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < inH; y++) {
                System.arraycopy(images, from + (c * inH + y) * inW, xp, c * plane + (y + padTop) * wp
                        + padLeft, inW);
            }
        }
    }

    void forward(Tensor input, Tensor output, PassContext context) {
        passes.get().run(Op.FORWARD, input, output, context, input.shape().dim(0));
    }

    /** ∂L/∂W and ∂L/∂b: each block of samples' sums, then the blocks' sums added in order. */
    void parameterGradients(Tensor input, Tensor outputGradient, PassContext context) {
        int batch = input.shape().dim(0);
        int blocks = (batch + SAMPLES_PER_BLOCK - 1) / SAMPLES_PER_BLOCK;
        if (sumsBatch != batch) {
            weightSumsShape = Shape.of(blocks, weight.gradient().size());
            biasSumsShape = Shape.of(blocks, filters);
            sumsBatch = batch;
        }
        Pass pass = passes.get();
        float[] weightSums = data(context.scratch("directWeightSums", weightSumsShape));
        float[] biasSums = data(context.scratch("directBiasSums", biasSumsShape));
        pass.weightSums = weightSums;
        pass.biasSums = biasSums;
        pass.run(Op.PARAMETER_GRADIENTS, input, outputGradient, context, blocks);
        sumRows(weightSums, blocks, data(weight.gradient()));
        if (hasBias) {
            sumRows(biasSums, blocks, data(bias.gradient()));
        }
    }

    void inputGradient(Tensor outputGradient, Tensor inputGradient, PassContext context) {
        Pass pass = passes.get();
        float[] flipped = data(context.scratch("directFlipped", flippedShape));
        float[] wt = data(weight.value());
        int taps = w.taps();
        for (int f = 0; f < filters; f++) { // flipped[c][f][taps − 1 − t] = W[f][c][t]
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < taps; t++) {
                    flipped[(c * filters + f) * taps + taps - 1 - t] = wt[(f * channels + c) * taps + t];
                }
            }
        }
        pass.flipped = flipped;
        pass.run(Op.INPUT_GRADIENT, inputGradient, outputGradient, context, inputGradient.shape().dim(0));
    }

    /** to = the sum of the {@code rows} rows of {@code sums}, in order. */
    private static void sumRows(float[] sums, int rows, float[] to) {
        int n = to.length;
        System.arraycopy(sums, 0, to, 0, n);
        for (int r = 1; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                to[i] += sums[r * n + i];
            }
        }
    }
}
