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

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        int batch = input.shape().dim(0);
        Tensor mean = context.scratch("mean", channelShape);
        Tensor invStd = context.scratch("invstd", channelShape);
        boolean training = context.mode() == Mode.TRAINING;
        Object x = Runs.array(input);
        Object y = Runs.array(output);
        long m = (long) batch * pixels;
        if (training && m < 2) {
            throw new IllegalArgumentException("batch-norm in training needs more than one value per channel; got a "
                    + "batch of 1 sample of shape " + shape + ". Use batches of 2 or more (as PyTorch requires).");
        }
        for (int c = 0; c < channels; c++) {
            double mu;
            double var;
            if (training) {
                mu = channelSum(x, c, batch, Double.NaN) / m;
                var = channelSum(x, c, batch, mu) / m;
                Tensor rm = runningMean.value();
                Tensor rv = runningVar.value();
                rm.set(c, (1 - momentum) * rm.get(c) + momentum * mu);
                rv.set(c, (1 - momentum) * rv.get(c) + momentum * var * m / (m - 1));
            } else {
                mu = runningMean.value().get(c);
                var = runningVar.value().get(c);
            }
            // Kept in the network's dtype, and read back, so backward normalizes exactly as forward did.
            mean.set(c, mu);
            invStd.set(c, 1 / Math.sqrt(var + eps));
            mu = mean.get(c);
            double inv = invStd.get(c);
            double scale = affine ? gamma.value().get(c) * inv : inv;
            double shift = affine ? beta.value().get(c) : 0;
            for (int n = 0; n < batch; n++) {
                int base = (n * channels + c) * pixels;
                Runs.scaleShift(x, base, y, base, pixels, scale, shift - mu * scale); // PyTorch's x·α + β form
            }
        }
        if (training) {
            Tensor count = batchesTracked.value();
            count.set(0, count.get(0) + 1);
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
        Tensor sums = gradientSums(input, outputGradient, context);
        for (int c = 0; c < channels; c++) {
            gamma.gradient().set(c, sums.get(2 * c + 1));
            beta.gradient().set(c, sums.get(2 * c));
        }
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        int batch = input.shape().dim(0);
        double m = (double) batch * pixels;
        Tensor mean = context.scratch("mean", channelShape);
        Tensor invStd = context.scratch("invstd", channelShape);
        Tensor sums = gradientSums(input, outputGradient, context);
        Object x = Runs.array(input);
        Object delta = Runs.array(outputGradient);
        Object dx = Runs.array(inputGradient);
        for (int c = 0; c < channels; c++) {
            double mu = mean.get(c);
            double inv = invStd.get(c);
            double sumDelta = sums.get(2 * c);
            double sumDeltaXhat = sums.get(2 * c + 1);
            // γ·inv·((δ − Σδ/M) − (x − μ)·inv·Σδx̂/M), one pass over each run of pixels
            double scale = (affine ? gamma.value().get(c) : 1) * inv;
            for (int n = 0; n < batch; n++) {
                Runs.combine(delta, x, dx, (n * channels + c) * pixels, pixels, sumDelta / m, mu,
                        inv * sumDeltaXhat / m, scale);
            }
        }
    }

    /** Per channel c: [2c] = Σ δ, [2c + 1] = Σ δ·x̂, over the batch forward normalized. */
    private Tensor gradientSums(Tensor input, Tensor outputGradient, PassContext context) {
        int batch = input.shape().dim(0);
        Tensor mean = context.scratch("mean", channelShape);
        Tensor invStd = context.scratch("invstd", channelShape);
        Tensor sums = context.scratch("sums", sumsShape);
        Object x = Runs.array(input);
        Object delta = Runs.array(outputGradient);
        for (int c = 0; c < channels; c++) {
            double mu = mean.get(c);
            double inv = invStd.get(c);
            double sumDelta = 0;
            double sumDeltaCentered = 0;
            for (int n = 0; n < batch; n++) {
                int base = (n * channels + c) * pixels;
                sumDelta += Runs.sum(delta, base, pixels);
                sumDeltaCentered += Runs.sumOfProducts(delta, base, x, base, pixels, mu);
            }
            sums.set(2 * c, sumDelta);
            sums.set(2 * c + 1, sumDeltaCentered * inv);
        }
        return sums;
    }
}
