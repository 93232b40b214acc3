package dev.nnkit.io.data;

import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * Min-max scaling x′ = (x − min) / (max − min) per feature, into [0, 1] on the training data (a
 * constant column gets range 1).
 *
 * @param shift the minimum per feature
 * @param scale max − min per feature
 */
public record MinMaxScaler(List<Double> shift, List<Double> scale) implements Normalizer {
    public MinMaxScaler {
        shift = List.copyOf(shift);
        scale = List.copyOf(scale);
    }

    @Override
    public String type() {
        return "min-max";
    }

    /**
     * Fits the minimum and range of each column of {@code x}.
     *
     * @throws IllegalArgumentException when a column's range is not a finite double
     */
    public static MinMaxScaler fit(Tensor x) {
        int rows = x.shape().rows();
        int cols = x.shape().cols();
        Double[] min = new Double[cols];
        Double[] range = new Double[cols];
        for (int c = 0; c < cols; c++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                lo = Math.min(lo, x.get(r * cols + c));
                hi = Math.max(hi, x.get(r * cols + c));
            }
            if (!Double.isFinite(hi - lo)) {
                throw new IllegalArgumentException("feature " + (c + 1) + " ranges from " + lo + " to " + hi
                        + "; its range overflows a double. Standardize it instead, or rescale the data.");
            }
            min[c] = lo;
            range[c] = hi > lo ? hi - lo : 1.0;
        }
        return new MinMaxScaler(List.of(min), List.of(range));
    }
}
