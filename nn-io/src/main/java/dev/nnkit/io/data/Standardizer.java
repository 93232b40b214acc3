package dev.nnkit.io.data;

import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * Standardization x′ = (x − μ) / σ per feature (population σ; a constant column gets σ = 1).
 *
 * @param shift μ per feature
 * @param scale σ per feature
 */
public record Standardizer(List<Double> shift, List<Double> scale) implements Normalizer {
    public Standardizer {
        shift = List.copyOf(shift);
        scale = List.copyOf(scale);
    }

    @Override
    public String type() {
        return "standardize";
    }

    /**
     * Fits μ and σ of each column of {@code x} in double, dividing by the column's largest
     * magnitude first so that even values near {@code Double.MAX_VALUE} give a finite σ.
     */
    public static Standardizer fit(Tensor x) {
        int rows = x.shape().rows();
        int cols = x.shape().cols();
        Double[] mu = new Double[cols];
        Double[] sigma = new Double[cols];
        for (int c = 0; c < cols; c++) {
            double m = 0;
            for (int r = 0; r < rows; r++) {
                m = Math.max(m, Math.abs(x.get(r * cols + c)));
            }
            if (m == 0 || !Double.isFinite(m)) {
                if (!Double.isFinite(m)) {
                    throw new IllegalArgumentException("feature " + (c + 1) + " holds a non-finite value; clean the data.");
                }
                mu[c] = 0.0;
                sigma[c] = 1.0;
                continue;
            }
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += x.get(r * cols + c) / m;
            }
            double mean = sum / rows;
            double ss = 0;
            for (int r = 0; r < rows; r++) {
                double d = x.get(r * cols + c) / m - mean;
                ss += d * d;
            }
            double s = m * Math.sqrt(ss / rows);
            mu[c] = m * mean;
            sigma[c] = s > 0 ? s : 1.0;
        }
        return new Standardizer(List.of(mu), List.of(sigma));
    }
}
