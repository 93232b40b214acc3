package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Buffer;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * Batch normalization, PyTorch's {@code nn.BatchNorm1d} / {@code nn.BatchNorm2d}: channel c (a
 * feature of [F] samples, a channel of [C, H, W] images) over its M = batch·pixels values:
 * <pre>
 *   training:   μ = Σx / M,  σ² = Σ(x − μ)² / M,  x̂ = (x − μ) / √(σ² + ε),  y = γ·x̂ + β
 *               running_mean ← (1 − m)·running_mean + m·μ
 *               running_var  ← (1 − m)·running_var  + m·σ²·M/(M − 1)   (unbiased, as PyTorch)
 *   inference:  y = γ·(x − running_mean) / √(running_var + ε) + β
 *   backward:   ∂L/∂γ = Σ δ·x̂,  ∂L/∂β = Σ δ,
 *               ∂L/∂x = γ / (M·√(σ² + ε)) · (M·δ − Σδ − x̂·Σ δ·x̂)
 * </pre>
 * Without {@code affine}, γ = 1 and β = 0 and there are no parameters.
 *
 * <p>A pass over part of a batch split over machines (nn-spark) takes M from the whole batch
 * ({@code PassContext.batchRows}) and its three sums — Σx, then Σ(x − μ)², then Σδ and Σδ·x̂ —
 * through {@code PassContext.sumOverBatch}, so every part normalizes with the whole batch's
 * statistics; each part's ∂L/∂γ and ∂L/∂β are its own rows' share. A whole batch runs each
 * channel's sums and normalization in one sweep instead, with the same arithmetic.
 */
final class BatchNormLayer implements Layer {
    private final Shape shape;
    private final int channels;
    private final int pixels;
    private final double momentum;
    private final double eps;
    private final Parameter gamma;
    private final Parameter beta;
    private final boolean affine;
    private final Buffer runningMean;
    private final Buffer runningVar;
    private final Buffer batchesTracked;
    /** Scratch shapes, made once: a Shape per call would be garbage every step. */
    private final Shape channelShape;
    private final Shape sumsShape;

    BatchNormLayer(Shape shape, double momentum, double eps, Parameter gamma, Parameter beta, boolean affine,
                   Buffer runningMean, Buffer runningVar, Buffer batchesTracked) {
        this.shape = shape;
        this.channels = shape.dim(0);
        this.pixels = shape.size() / channels;
        this.momentum = momentum;
        this.eps = eps;
        this.gamma = gamma;
        this.beta = beta;
        this.affine = affine;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.batchesTracked = batchesTracked;
        this.channelShape = Shape.of(channels);
        this.sumsShape = Shape.of(2 * channels);
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public List<Parameter> parameters() {
        return affine ? List.of(gamma, beta) : List.of();
    }

    @Override
    public List<Buffer> buffers() {
        return List.of(runningMean, runningVar, batchesTracked);
    }

    /** What a {@link Pass} computes for its channels. */
    private enum Op {
        FORWARD_TRAINING, FORWARD_INFERENCE, GRADIENT_SUMS, INPUT_GRADIENT, SUMMED_INPUT_GRADIENT,
        /** Of a split batch: each channel's Σx, then Σ(x − μ)², then the normalization with the whole batch's. */
        CHANNEL_SUMS, CHANNEL_SQUARES, NORMALIZE_SUMMED
    }

    /** One call's per-channel work, split across threads by channel; one per calling thread. */
    private final ThreadLocal<Pass> passes = PlaneTask.local(Pass::new);

    private final class Pass extends PlaneTask {
        Op op;
        int batch;
        /** Rows of the whole batch: {@link #batch} unless the batch is split over machines. */
        int wholeRows;
        Object x;
        Object y;
        Object delta;
        Object dx;
        Tensor mean;
        Tensor invStd;
        Tensor sums;
        /**
         * The δ whose sums {@link #parameterGradients} left in the context's "sums" (with the
         * context's "sumsReady" set until the next forward), so that {@link #inputGradient}, which
         * needs the same two sums, does not compute them again.
         */
        Object summedDelta;
        /** Per-thread accumulators of {@link #gradientSums}; a chunk's channels run on one thread. */
        final double[][] channelSums = new double[dev.nnkit.core.kernel.Parallel.maxParts()][2];
        /**
         * In double, what a split batch's part contributes to its sums, then the whole batch's:
         * Σx or Σ(x − μ)² per channel, and [2c] = Σδ, [2c + 1] = Σδ·x̂; and each channel's exact mean.
         */
        final double[] totals = new double[channels];
        final double[] gradientTotals = new double[2 * channels];
        final double[] centers = new double[channels];

        @Override
        void planes(int part, int from, int to) {
            for (int c = from; c < to; c++) {
                switch (op) {
                    case FORWARD_TRAINING, FORWARD_INFERENCE, NORMALIZE_SUMMED -> forwardChannel(this, c);
                    case CHANNEL_SUMS -> totals[c] = channelSum(x, c, batch, Double.NaN);
                    case CHANNEL_SQUARES -> totals[c] = channelSum(x, c, batch, centers[c]);
                    case GRADIENT_SUMS -> gradientSums(this, c, channelSums[part]);
                    case SUMMED_INPUT_GRADIENT -> inputGradientChannel(this, c);
                    case INPUT_GRADIENT -> {
                        gradientSums(this, c, channelSums[part]);
                        inputGradientChannel(this, c);
                    }
                }
            }
        }

        @Override
        void clear() {
            x = y = delta = dx = null;
            mean = invStd = sums = null;
        }

        void start(Op op, Tensor input, PassContext context) {
            this.op = op;
            this.batch = input.shape().dim(0);
            this.wholeRows = op == Op.FORWARD_INFERENCE ? batch : context.batchRows();
            this.x = Runs.array(input);
            this.mean = context.scratch("mean", channelShape);
            this.invStd = context.scratch("invstd", channelShape);
            this.sums = context.scratch("sums", sumsShape);
        }

        void run() {
            run(channels, 3L * batch * pixels * channels);
        }
    }

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        boolean training = context.mode() == Mode.TRAINING;
        if (training && (long) context.batchRows() * pixels < 2) {
            throw new IllegalArgumentException("batch-norm in training needs more than one value per channel; got a "
                    + "batch of 1 sample of shape " + shape + ". Use batches of 2 or more (as PyTorch requires).");
        }
        Pass pass = passes.get();
        context.intScratch("sumsReady", 1)[0] = 0;
        if (training && context.batchRows() != input.shape().dim(0)) {
            forwardSplit(pass, input, output, context);
        } else {
            pass.start(training ? Op.FORWARD_TRAINING : Op.FORWARD_INFERENCE, input, context);
            pass.y = Runs.array(output);
            pass.run();
        }
        if (training) {
            Tensor count = batchesTracked.value();
            count.set(0, count.get(0) + 1);
        }
    }

    /** The split batch's forward: the channels' sums, whole-batch sums, and then the normalization. */
    private void forwardSplit(Pass pass, Tensor input, Tensor output, PassContext context) {
        long m = (long) context.batchRows() * pixels;
        pass.start(Op.CHANNEL_SUMS, input, context);
        pass.run();
        context.sumOverBatch(pass.totals);
        for (int c = 0; c < channels; c++) {
            pass.centers[c] = pass.totals[c] / m;
        }
        pass.start(Op.CHANNEL_SQUARES, input, context);
        pass.run();
        context.sumOverBatch(pass.totals);
        pass.start(Op.NORMALIZE_SUMMED, input, context);
        pass.y = Runs.array(output);
        pass.run();
    }

    private void forwardChannel(Pass p, int c) {
        long m = (long) p.wholeRows * pixels;
        double mu;
        double var;
        if (p.op != Op.FORWARD_INFERENCE) {
            // A whole batch sums here; a split one has the whole batch's sums in totals (forwardSplit).
            mu = p.op == Op.NORMALIZE_SUMMED ? p.centers[c] : channelSum(p.x, c, p.batch, Double.NaN) / m;
            var = (p.op == Op.NORMALIZE_SUMMED ? p.totals[c] : channelSum(p.x, c, p.batch, mu)) / m;
            Tensor rm = runningMean.value();
            Tensor rv = runningVar.value();
            rm.set(c, (1 - momentum) * rm.get(c) + momentum * mu);
            rv.set(c, (1 - momentum) * rv.get(c) + momentum * var * m / (m - 1));
        } else {
            mu = runningMean.value().get(c);
            var = runningVar.value().get(c);
        }
        // Kept in the network's dtype, and read back, so backward normalizes exactly as forward did.
        p.mean.set(c, mu);
        p.invStd.set(c, 1 / Math.sqrt(var + eps));
        mu = p.mean.get(c);
        double inv = p.invStd.get(c);
        double scale = affine ? gamma.value().get(c) * inv : inv;
        double shift = affine ? beta.value().get(c) : 0;
        for (int n = 0; n < p.batch; n++) {
            int base = (n * channels + c) * pixels;
            Runs.scaleShift(p.x, base, p.y, base, pixels, scale, shift - mu * scale); // PyTorch's x·α + β form
        }
    }

    /** Channel c's Σ x when {@code mean} is NaN, else its Σ (x − mean)². */
    private double channelSum(Object x, int c, int batch, double mean) {
        double sum = 0;
        for (int n = 0; n < batch; n++) {
            int base = (n * channels + c) * pixels;
            sum += Double.isNaN(mean) ? Runs.sum(x, base, pixels) : Runs.sumOfSquares(x, base, pixels, mean);
        }
        return sum;
    }

    @Override
    public void parameterGradients(Tensor input, Tensor outputGradient, PassContext context) {
        if (!affine) {
            return;
        }
        Pass pass = passes.get();
        pass.start(Op.GRADIENT_SUMS, input, context);
        Object delta = Runs.array(outputGradient);
        pass.delta = delta;
        Tensor sums = pass.sums;
        pass.run();
        pass.summedDelta = delta;
        context.intScratch("sumsReady", 1)[0] = 1;
        for (int c = 0; c < channels; c++) { // of a split batch: this part's share, as its rows' gradient
            gamma.gradient().set(c, sums.get(2 * c + 1));
            beta.gradient().set(c, sums.get(2 * c));
        }
        if (context.batchRows() != pass.batch) {
            wholeGradientSums(pass, sums, context);
        }
    }

    /** Replaces a split batch's part's Σδ and Σδ·x̂ (in {@code sums}) by the whole batch's. */
    private void wholeGradientSums(Pass pass, Tensor sums, PassContext context) {
        context.sumOverBatch(pass.gradientTotals);
        for (int i = 0; i < 2 * channels; i++) {
            sums.set(i, pass.gradientTotals[i]);
        }
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        Pass pass = passes.get();
        int[] ready = context.intScratch("sumsReady", 1);
        Object delta = Runs.array(outputGradient);
        boolean summed = ready[0] == 1 && pass.summedDelta == delta;
        ready[0] = 0;
        pass.summedDelta = null;
        if (!summed && context.batchRows() != input.shape().dim(0)) {
            pass.start(Op.GRADIENT_SUMS, input, context);
            pass.delta = delta;
            pass.run();
            wholeGradientSums(pass, context.scratch("sums", sumsShape), context);
            summed = true;
        }
        pass.start(summed ? Op.SUMMED_INPUT_GRADIENT : Op.INPUT_GRADIENT, input, context);
        pass.delta = delta;
        pass.dx = Runs.array(inputGradient);
        pass.run();
    }

    private void inputGradientChannel(Pass p, int c) {
        double m = (double) p.wholeRows * pixels;
        double mu = p.mean.get(c);
        double inv = p.invStd.get(c);
        double sumDelta = p.sums.get(2 * c);
        double sumDeltaXhat = p.sums.get(2 * c + 1);
        // γ·inv·((δ − Σδ/M) − (x − μ)·inv·Σδx̂/M), one pass over each run of pixels
        double scale = (affine ? gamma.value().get(c) : 1) * inv;
        for (int n = 0; n < p.batch; n++) {
            Runs.combine(p.delta, p.x, p.dx, (n * channels + c) * pixels, pixels, sumDelta / m, mu,
                    inv * sumDeltaXhat / m, scale);
        }
    }

    /** Channel c's [2c] = Σ δ and [2c + 1] = Σ δ·x̂ over the batch forward normalized, into the pass's sums. */
    private void gradientSums(Pass p, int c, double[] accumulators) {
        double mu = p.mean.get(c);
        double inv = p.invStd.get(c);
        accumulators[0] = 0;
        accumulators[1] = 0;
        for (int n = 0; n < p.batch; n++) {
            int base = (n * channels + c) * pixels;
            Runs.sumAndProducts(p.delta, base, p.x, base, pixels, mu, accumulators);
        }
        p.sums.set(2 * c, accumulators[0]);
        p.sums.set(2 * c + 1, accumulators[1] * inv);
        p.gradientTotals[2 * c] = accumulators[0];
        p.gradientTotals[2 * c + 1] = accumulators[1] * inv;
    }
}
