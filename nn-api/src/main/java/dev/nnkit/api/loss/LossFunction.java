package dev.nnkit.api.loss;

import dev.nnkit.api.tensor.Tensor;

/**
 * A {@link Loss} with its reduction, the one place reduction and sample weights are applied, for
 * every loss:
 * <pre>
 *   MEAN:  C = 1/n Σᵢ wᵢ ℓᵢ      (wᵢ = 1 without weights; Keras' "sum over batch size")
 *   SUM:   C = Σᵢ wᵢ ℓᵢ
 *   NONE:  each wᵢ ℓᵢ reported per sample; the gradient is that of their sum
 * </pre>
 * and ∂C/∂Ŷ is scaled to match. Rows are copied into double scratch arrays, so losses compute in
 * double whatever the tensors' dtype. Not thread-safe (the scratch arrays are reused).
 */
public final class LossFunction {
    private static final double[] NO_WEIGHTS = new double[0];
    private final Loss loss;
    private final Reduction reduction;
    private double[] prediction = new double[0];
    private double[] target = new double[0];
    private double[] gradient = new double[0];
    private double[] column = new double[0];
    private double[] targetColumn = new double[0];

    public LossFunction(Loss loss, Reduction reduction) {
        this.loss = loss;
        this.reduction = reduction;
    }

    public Loss loss() {
        return loss;
    }

    public Reduction reduction() {
        return reduction;
    }

    /**
     * The reduced loss of a batch, writing ∂C/∂Ŷ into {@code outputGradient}.
     *
     * @param perSample receives each sample's ℓᵢ when its length is the batch size; pass an empty
     *     array to skip
     */
    public double evaluate(Tensor predictions, Tensor targets, Tensor outputGradient, double[] perSample) {
        return evaluate(predictions, targets, NO_WEIGHTS, outputGradient, perSample);
    }

    /**
     * As {@link #evaluate(Tensor, Tensor, Tensor, double[])} with a weight per sample.
     *
     * @param weights one finite weight ≥ 0 per row
     */
    public double evaluate(Tensor predictions, Tensor targets, double[] weights, Tensor outputGradient,
                           double[] perSample) {
        return evaluatePart(predictions, targets, weights, outputGradient, perSample, predictions.shape().rows());
    }

    /**
     * As {@link #evaluate(Tensor, Tensor, double[], Tensor, double[])} for rows that are part of a
     * batch of {@code batchSize} rows split across machines (data-parallel training): a mean
     * divides by {@code batchSize}, so every row's ∂C/∂Ŷ is, bit for bit, what the whole batch
     * gives it, and the parts' losses add up to the batch's.
     *
     * @param batchSize rows in the whole batch, ≥ this part's rows
     * @return this part's share of the batch loss C
     */
    public double evaluatePart(Tensor predictions, Tensor targets, double[] weights, Tensor outputGradient,
                               double[] perSample, int batchSize) {
        int n = predictions.shape().rows();
        if (batchSize < n) {
            throw new IllegalArgumentException("A part of " + n + " rows cannot belong to a batch of " + batchSize + ".");
        }
        int k = predictions.shape().cols();
        int t = loss.targetWidth(k);
        if (targets.shape().rows() != n || targets.shape().cols() != t) {
            throw new IllegalArgumentException("Targets have shape " + targets.shape() + "; this loss needs [" + n
                    + ", " + t + "] for " + n + " predictions of width " + k
                    + (t == 1 && k > 1 ? " (one class index per row)." : "."));
        }
        if (weights.length != 0 && weights.length != n) {
            throw new IllegalArgumentException("Got " + weights.length + " sample weights for " + n + " samples.");
        }
        ensureScratch(k, t);
        double scale = reduction == Reduction.MEAN ? 1.0 / batchSize : 1.0;
        if (k == 1 && t == 1) {
            return evaluateOneColumn(predictions, targets, weights, outputGradient, perSample, n, scale);
        }
        double sum = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) {
                prediction[c] = predictions.get(r * k + c);
            }
            for (int c = 0; c < t; c++) {
                target[c] = targets.get(r * t + c);
            }
            double l;
            try {
                l = loss.sampleLoss(prediction, target, gradient);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Row " + r + " of the batch: " + e.getMessage(), e);
            }
            double w = weights.length == 0 ? 1 : weights[r];
            if (perSample.length == n) {
                perSample[r] = w * l;
            }
            sum += w * l;
            for (int c = 0; c < k; c++) {
                outputGradient.set(r * k + c, gradient[c] * w * scale);
            }
        }
        return sum * scale;
    }

    /**
     * {@link #evaluate} for one output and one target column (binary classification, one-output
     * regression): the same arithmetic without the per-row copy loops, which cost as much as a
     * small loss itself (a tiny network's loss at batch 32 took 0.54 µs).
     */
    private double evaluateOneColumn(Tensor predictions, Tensor targets, double[] weights, Tensor outputGradient,
                                     double[] perSample, int n, double scale) {
        double[] p = prediction;
        double[] y = target;
        double[] g = gradient;
        Loss sampleLoss = loss;
        boolean weighted = weights.length != 0;
        boolean keepPerSample = perSample.length == n;
        if (column.length < n) {
            column = new double[n];
            targetColumn = new double[n];
        }
        double[] pc = column;
        double[] yc = targetColumn;
        for (int r = 0; r < n; r++) {
            pc[r] = predictions.get(r);
            yc[r] = targets.get(r);
        }
        double sum = 0;
        for (int r = 0; r < n; r++) {
            p[0] = pc[r];
            y[0] = yc[r];
            double l;
            try {
                l = sampleLoss.sampleLoss(p, y, g);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Row " + r + " of the batch: " + e.getMessage(), e);
            }
            double w = weighted ? weights[r] : 1;
            if (keepPerSample) {
                perSample[r] = w * l;
            }
            sum += w * l;
            pc[r] = g[0] * w * scale;
        }
        for (int r = 0; r < n; r++) {
            outputGradient.set(r, pc[r]);
        }
        return sum * scale;
    }

    private void ensureScratch(int k, int t) {
        if (prediction.length != k) {
            prediction = new double[k];
            gradient = new double[k];
        }
        if (target.length != t) {
            target = new double[t];
        }
    }
}
