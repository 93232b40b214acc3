package dev.nnkit.api.tensor;

import java.util.Arrays;

/** A {@link Tensor} backed by a {@code float[]}. Mutable, not thread-safe. */
public final class Float32Tensor extends Tensor {
    private final float[] data;

    /** Wraps {@code data} (not copied) as a tensor of {@code shape}. */
    public Float32Tensor(Shape shape, float[] data) {
        super(shape);
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("Shape " + shape + " needs " + shape.size()
                    + " values; the array has " + data.length + ".");
        }
        this.data = data;
    }

    /** The live backing array, row-major; writes show through. */
    public float[] data() {
        return data;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT32;
    }

    @Override
    public double get(int index) {
        return data[index];
    }

    @Override
    public void set(int index, double value) {
        data[index] = (float) value;
    }

    @Override
    public void fill(double value) {
        Arrays.fill(data, (float) value);
    }

    @Override
    public Float32Tensor copy() {
        return new Float32Tensor(shape(), data.clone());
    }

    @Override
    Float32Tensor view(Shape newShape) {
        return new Float32Tensor(newShape, data);
    }
}
