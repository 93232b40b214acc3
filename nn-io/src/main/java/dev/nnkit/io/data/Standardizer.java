package dev.nnkit.io.data;

import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * Per-feature standardization x′ = (x − μ) / σ, fitted on training data only and then applied
 * unchanged to validation and prediction data. A constant column gets σ = 1. Immutable.
 *
 * @param mean μ per feature
 * @param std σ per feature
 */
public record Standardizer(List<Double> mean, List<Double> std) {
    public Standardizer {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
    }

    /** Fits μ and σ (population) of each column of {@code x}, accumulating in double. */
    public static Standardizer fit(Tensor x) {
        int rows = x.shape().rows();
        int cols = x.shape().cols();
        Double[] mu = new Double[cols];
        Double[] sigma = new Double[cols];
        for (int c = 0; c < cols; c++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += x.get(r * cols + c);
            }
            double m = sum / rows;
            double ss = 0;
            for (int r = 0; r < rows; r++) {
                double d = x.get(r * cols + c) - m;
                ss += d * d;
            }
            double s = Math.sqrt(ss / rows);
            mu[c] = m;
            sigma[c] = s > 0 ? s : 1.0;
        }
        return new Standardizer(List.of(mu), List.of(sigma));
    }

    /** Standardizes {@code x} in place. */
    public void apply(Tensor x) {
        int cols = x.shape().cols();
        if (cols != mean.size()) {
            throw new IllegalArgumentException("Data has " + cols + " features; the standardizer was fitted on "
                    + mean.size() + ".");
        }
        for (int i = 0; i < x.size(); i++) {
            int c = i % cols;
            x.set(i, (x.get(i) - mean.get(c)) / std.get(c));
        }
    }
}
