package dev.nnkit.api.tensor;

import java.util.Arrays;

/**
 * The dimensions of a {@link Tensor}, outermost first ({@code [rows, cols]} for a matrix, batch
 * first). Every dimension is at least 1, and the element count fits in an {@code int}. A shape of
 * no dimensions, {@code []}, is a scalar's: one element (PyTorch's {@code torch.Size([])}).
 *
 * <p>Immutable and thread-safe; never {@code null}-valued.
 */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "Every dimension must be at least 1; got " + Arrays.toString(dims) + ".");
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("Shape " + Arrays.toString(dims)
                        + " holds more than " + (Integer.MAX_VALUE - 8) + " elements; split the data.");
            }
        }
        this.dims = dims;
        this.size = (int) n;
    }

    /** A shape with the given dimensions (copied). */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** The shape of a single number, {@code []}: rank 0, one element. */
    public static Shape scalar() {
        return new Shape(new int[0]);
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}, counting from 0. */
    public int dim(int axis) {
        return dims[axis];
    }

    /** The dimensions as a new array. */
    public int[] dims() {
        return dims.clone();
    }

    /** Product of the dimensions. */
    public int size() {
        return size;
    }

    /** This shape with a batch dimension of {@code batch} in front: {@code [batch, ...this]}. */
    public Shape withBatch(int batch) {
        int[] d = new int[dims.length + 1];
        d[0] = batch;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /**
     * The per-sample shape of a batch shape: every dimension after the first.
     *
     * @throws IllegalStateException for a rank-1 shape, which has no sample dimensions
     */
    public Shape sample() {
        if (dims.length < 2) {
            throw new IllegalStateException("Shape " + this + " has no dimensions after the batch.");
        }
        return new Shape(java.util.Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** Rows of a matrix: the first dimension (1 for a scalar). */
    public int rows() {
        return dims.length == 0 ? 1 : dims[0];
    }

    /** Columns of a matrix: the product of the dimensions after the first (1 for a vector). */
    public int cols() {
        return size / rows();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
