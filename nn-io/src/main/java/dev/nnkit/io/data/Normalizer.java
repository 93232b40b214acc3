package dev.nnkit.io.data;

import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * A per-feature transform fitted on training data only, stored in the model and applied unchanged
 * to every later input: x′ = (x − shift) / scale. Immutable.
 */
public sealed interface Normalizer permits Standardizer, MinMaxScaler {

    /** The id written to model.json: {@code standardize} or {@code min-max}. */
    String type();

    /** Per-feature shift. */
    List<Double> shift();

    /** Per-feature scale, never 0. */
    List<Double> scale();

    /**
     * Applies x′ = (x − shift) / scale to every row of {@code x}, in place.
     *
     * @throws OverflowException when a result overflows the tensor's type (a finite value far
     *         outside the range the normalizer was fitted on), naming the example, feature and value
     */
    default void apply(Tensor x) {
        int cols = x.shape().cols();
        if (cols != shift().size()) {
            throw new IllegalArgumentException("Data has " + cols + " features; the normalizer was fitted on "
                    + shift().size() + ".");
        }
        for (int i = 0; i < x.size(); i++) {
            int c = i % cols;
            double v = x.get(i);
            x.set(i, (v - shift().get(c)) / scale().get(c));
            if (!Double.isFinite(x.get(i)) && Double.isFinite(v)) {
                throw new OverflowException(i / cols, c, "the value "
                        + v + " becomes " + (v - shift().get(c)) / scale().get(c) + " after " + type() + " (shift "
                        + shift().get(c) + ", scale " + scale().get(c) + "), which overflows " + x.dtype().id()
                        + "; the value is far outside the range of the training data. Check it, or rescale the column.");
            }
        }
    }

    /**
     * Undoes {@link #apply}: x = x′ · scale + shift on every row of {@code x}, in place (a target
     * normalizer turns the network's outputs back into the target's units).
     */
    default void invert(Tensor x) {
        int cols = x.shape().cols();
        if (cols != shift().size()) {
            throw new IllegalArgumentException("Data has " + cols + " columns; the normalizer was fitted on "
                    + shift().size() + ".");
        }
        for (int i = 0; i < x.size(); i++) {
            int c = i % cols;
            x.set(i, x.get(i) * scale().get(c) + shift().get(c));
        }
    }

    /** A normalized value overflowed its type: {@link #row()} and {@link #column()} say which (from 0). */
    final class OverflowException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int row;
        private final int column;

        OverflowException(int row, int column, String message) {
            super("example " + (row + 1) + ", feature " + (column + 1) + ": " + message);
            this.row = row;
            this.column = column;
        }

        public int row() {
            return row;
        }

        public int column() {
            return column;
        }

        /** The message without the example and feature. */
        public String problem() {
            return getMessage().substring(getMessage().indexOf(": ") + 2);
        }
    }

    /** Rebuilds a normalizer from its stored form. */
    static Normalizer of(String type, List<Double> shift, List<Double> scale) {
        if (shift.size() != scale.size()) {
            throw new IllegalArgumentException("shift has " + shift.size() + " values but scale has " + scale.size() + ".");
        }
        for (double s : scale) {
            if (!(s != 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("every scale must be finite and non-zero; got " + s + ".");
            }
        }
        for (double s : shift) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("every shift must be finite; got " + s + ".");
            }
        }
        return switch (type) {
            case "standardize" -> new Standardizer(shift, scale);
            case "min-max" -> new MinMaxScaler(shift, scale);
            default -> throw new IllegalArgumentException("unknown normalizer '" + type
                    + "'; expected standardize or min-max.");
        };
    }
}
