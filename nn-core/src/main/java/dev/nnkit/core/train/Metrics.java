package dev.nnkit.core.train;

import dev.nnkit.api.tensor.Tensor;

/** Scores of predictions against targets. Pure functions, thread-safe. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The fraction of rows whose predicted class equals the class index in {@code classes}: the
     * arg-max of each row, or for a single output, 1 when p ≥ 0.5.
     */
    public static double accuracy(Tensor predictions, double[] classes) {
        int k = predictions.shape().cols();
        int correct = 0;
        for (int r = 0; r < classes.length; r++) {
            if (predictedClass(predictions, r, k) == (int) classes[r]) {
                correct++;
            }
        }
        return (double) correct / classes.length;
    }

    /** The predicted class of row {@code r}. */
    public static int predictedClass(Tensor predictions, int r, int k) {
        if (k == 1) {
            return predictions.get(r) >= 0.5 ? 1 : 0;
        }
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (predictions.get(r * k + c) > predictions.get(r * k + best)) {
                best = c;
            }
        }
        return best;
    }

    /** Root mean squared error of a single-output regression. */
    public static double rmse(Tensor predictions, double[] targets) {
        double ss = 0;
        for (int r = 0; r < targets.length; r++) {
            double d = predictions.get(r) - targets[r];
            ss += d * d;
        }
        return Math.sqrt(ss / targets.length);
    }

    /** Coefficient of determination R² = 1 − SS_res / SS_tot of a single-output regression. */
    public static double r2(Tensor predictions, double[] targets) {
        double mean = 0;
        for (double t : targets) {
            mean += t;
        }
        mean /= targets.length;
        double res = 0;
        double tot = 0;
        for (int r = 0; r < targets.length; r++) {
            res += Math.pow(predictions.get(r) - targets[r], 2);
            tot += Math.pow(targets[r] - mean, 2);
        }
        return 1 - res / tot;
    }
}
