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

    /** Fits μ and σ of each column of {@code x}, accumulating in double. */
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
}
