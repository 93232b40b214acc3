package dev.nnkit.core.train;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.Tensor;

/**
 * A {@link Loss} with its reduction, applied here once for every loss: the batch loss is
 * C = 1/n Σᵢ ℓᵢ (mean) or Σᵢ ℓᵢ (sum, none), and ∂C/∂Ŷ is scaled to match. Rows are copied into
 * double scratch arrays, so losses compute in double whatever the network's dtype. Not
 * thread-safe.
 */
public final class LossFunction {
    private final Loss loss;
    private final Reduction reduction;
    private double[] prediction = new double[0];
    private double[] target = new double[0];
    private double[] gradient = new double[0];

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
     * Computes the reduced loss of a batch and writes ∂C/∂Ŷ into {@code outputGradient}.
     *
     * @param perSample receives each sample's ℓᵢ when its length is the batch size; pass an empty
     *     array to skip
     */
    public double evaluate(Tensor predictions, Tensor targets, Tensor outputGradient, double[] perSample) {
        int n = predictions.shape().rows();
        int k = predictions.shape().cols();
        int t = loss.targetWidth(k);
        if (targets.shape().rows() != n || targets.shape().cols() != t) {
            throw new IllegalArgumentException("Targets have shape " + targets.shape() + "; this loss needs [" + n
                    + ", " + t + "] for " + n + " predictions of width " + k
                    + (t == 1 && k > 1 ? " (one class index per row)." : "."));
        }
        ensureScratch(k, t);
        double scale = reduction == Reduction.MEAN ? 1.0 / n : 1.0;
        double sum = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) {
                prediction[c] = predictions.get(r * k + c);
            }
            for (int c = 0; c < t; c++) {
                target[c] = targets.get(r * t + c);
            }
            double l = loss.sampleLoss(prediction, target, gradient);
            if (perSample.length == n) {
                perSample[r] = l;
            }
            sum += l;
            for (int c = 0; c < k; c++) {
                outputGradient.set(r * k + c, gradient[c] * scale);
            }
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
