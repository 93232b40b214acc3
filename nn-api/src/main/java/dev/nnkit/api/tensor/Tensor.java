package dev.nnkit.api.tensor;

import java.util.Objects;

/**
 * A dense, row-major array of numbers with a {@link Shape} and a {@link DType}.
 *
 * <p>Plugins read and write elements as {@code double} by flat index ({@code row * cols + col}),
 * so one implementation serves float32 and float64; a float32 tensor rounds on {@link #set}.
 * The engine reaches the backing arrays of {@link Float32Tensor} and {@link Float64Tensor} for its
 * kernels.
 *
 * <p>Mutable and not thread-safe: a tensor belongs to one training loop at a time. Arguments and
 * results are never {@code null}.
 */
public abstract sealed class Tensor permits Float32Tensor, Float64Tensor {
    private final Shape shape;

    Tensor(Shape shape) {
        this.shape = Objects.requireNonNull(shape, "shape");
    }

    /** A tensor of zeros. */
    public static Tensor zeros(DType dtype, Shape shape) {
        return switch (dtype) {
            case FLOAT32 -> new Float32Tensor(shape, new float[shape.size()]);
            case FLOAT64 -> new Float64Tensor(shape, new double[shape.size()]);
        };
    }

    /**
     * A tensor holding {@code values} in row-major order (rounded for float32).
     *
     * @throws IllegalArgumentException if the count differs from the shape's size
     */
    public static Tensor of(DType dtype, Shape shape, double... values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("Shape " + shape + " needs " + shape.size()
                    + " values; got " + values.length + ".");
        }
        Tensor t = zeros(dtype, shape);
        for (int i = 0; i < values.length; i++) {
            t.set(i, values[i]);
        }
        return t;
    }

    /** A rows × cols matrix from nested arrays, which must be rectangular. */
    public static Tensor matrix(DType dtype, double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        Tensor t = zeros(dtype, Shape.of(rows.length, cols));
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("Row " + r + " has " + rows[r].length
                        + " values; row 0 has " + cols + ". Rows must have equal length.");
            }
            for (int c = 0; c < cols; c++) {
                t.set(r * cols + c, rows[r][c]);
            }
        }
        return t;
    }

    public final Shape shape() {
        return shape;
    }

    /** Number of elements. */
    public final int size() {
        return shape.size();
    }

    public abstract DType dtype();

    /** Element at a flat row-major index. */
    public abstract double get(int index);

    /** Sets the element at a flat row-major index (rounded to float for float32). */
    public abstract void set(int index, double value);

    /** Element {@code [row, col]} of a matrix. */
    public final double get(int row, int col) {
        return get(row * shape.cols() + col);
    }

    /** Sets every element to {@code value}. */
    public abstract void fill(double value);

    /**
     * A view of the same elements with another shape of the same size: no copy, writes show
     * through both ways (PyTorch's {@code view}). Row-major order is kept.
     *
     * @throws IllegalArgumentException when the sizes differ
     */
    public final Tensor reshape(Shape newShape) {
        if (newShape.size() != size()) {
            throw new IllegalArgumentException("Cannot view a " + shape + " tensor (" + size() + " elements) as "
                    + newShape + " (" + newShape.size() + " elements).");
        }
        return newShape.equals(shape) ? this : view(newShape);
    }

    abstract Tensor view(Shape newShape);

    /** A deep copy with the same shape and dtype. */
    public abstract Tensor copy();

    /** A deep copy converted to {@code dtype}. */
    public final Tensor to(DType dtype) {
        if (dtype == dtype()) {
            return copy();
        }
        Tensor t = zeros(dtype, shape);
        for (int i = 0; i < size(); i++) {
            t.set(i, get(i));
        }
        return t;
    }

    /**
     * Copies every element of {@code source}, which must have the same shape (dtypes may differ).
     */
    public final void copyFrom(Tensor source) {
        if (!source.shape().equals(shape)) {
            throw new IllegalArgumentException("Cannot copy a " + source.shape() + " tensor into a "
                    + shape + " tensor.");
        }
        for (int i = 0; i < size(); i++) {
            set(i, source.get(i));
        }
    }

    /** The elements as a new {@code double[]}, row-major. */
    public final double[] toDoubleArray() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(dtype().id()).append(shape).append(' ');
        int n = Math.min(size(), 8);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(get(i));
        }
        return sb.append(size() > n ? ", …]" : "]").toString();
    }
}
