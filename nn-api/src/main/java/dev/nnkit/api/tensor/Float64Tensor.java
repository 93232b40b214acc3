package dev.nnkit.api.tensor;

import java.util.Arrays;

/** A {@link Tensor} backed by a {@code double[]}. Mutable, not thread-safe. */
public final class Float64Tensor extends Tensor {
    private final double[] data;

    /** Wraps {@code data} (not copied) as a tensor of {@code shape}. */
    public Float64Tensor(Shape shape, double[] data) {
        super(shape);
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("Shape " + shape + " needs " + shape.size()
                    + " values; the array has " + data.length + ".");
        }
        this.data = data;
    }

    /** The live backing array, row-major; writes show through. */
    public double[] data() {
        return data;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT64;
    }

    @Override
    public double get(int index) {
        return data[index];
    }

    @Override
    public void set(int index, double value) {
        data[index] = value;
    }

    @Override
    public void fill(double value) {
        Arrays.fill(data, value);
    }

    @Override
    public Float64Tensor copy() {
        return new Float64Tensor(shape(), data.clone());
    }

    @Override
    Float64Tensor view(Shape newShape) {
        return new Float64Tensor(newShape, data);
    }
}
