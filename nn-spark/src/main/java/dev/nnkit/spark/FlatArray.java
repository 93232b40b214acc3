package dev.nnkit.spark;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Float64Tensor;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedParameter;
import java.io.Serializable;
import java.util.List;

/**
 * Every parameter of a network (its values, or its gradients) laid end to end in the network's
 * number type: 4 bytes a parameter for float32, 8 for float64. This is what crosses the network
 * each step, weights one way and gradient sums the other.
 */
final class FlatArray implements Serializable {
    private static final long serialVersionUID = 1L;
    final float[] f32;
    final double[] f64;

    private FlatArray(float[] f32, double[] f64) {
        this.f32 = f32;
        this.f64 = f64;
    }

    static FlatArray of(DType dtype, double[] values) {
        if (dtype == DType.FLOAT64) {
            return new FlatArray(null, values);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return new FlatArray(f, null);
    }

    int length() {
        return f32 != null ? f32.length : f64.length;
    }

    double get(int i) {
        return f32 != null ? f32[i] : f64[i];
    }

    /** The index of the first value that differs from {@code other}'s, bit for bit; -1 when none does. */
    int firstDifference(FlatArray other) {
        return f32 != null ? java.util.Arrays.mismatch(f32, other.f32) : java.util.Arrays.mismatch(f64, other.f64);
    }

    /** Adds every value to {@code sums}. */
    void addTo(double[] sums) {
        if (f32 != null) {
            for (int i = 0; i < f32.length; i++) {
                sums[i] += f32[i];
            }
        } else {
            for (int i = 0; i < f64.length; i++) {
                sums[i] += f64[i];
            }
        }
    }

    /** The tensors' values end to end (a network's buffers: batch norm's running statistics). */
    static FlatArray of(List<Tensor> tensors, DType dtype) {
        int n = 0;
        for (Tensor t : tensors) {
            n += t.size();
        }
        double[] values = new double[n];
        int at = 0;
        for (Tensor t : tensors) {
            for (int i = 0; i < t.size(); i++) {
                values[at++] = t.get(i);
            }
        }
        return of(dtype, values);
    }

    /** Writes these values into the tensors, end to end. */
    void writeTo(List<Tensor> tensors) {
        int at = 0;
        for (Tensor t : tensors) {
            for (int i = 0; i < t.size(); i++) {
                t.set(i, get(at++));
            }
        }
    }

    /** The parameters' values ({@code gradients} false) or gradients, end to end. */
    static FlatArray read(List<NamedParameter> parameters, DType dtype, boolean gradients) {
        int n = 0;
        for (NamedParameter p : parameters) {
            n += p.parameter().value().size();
        }
        float[] f = dtype == DType.FLOAT32 ? new float[n] : null;
        double[] d = dtype == DType.FLOAT32 ? null : new double[n];
        int at = 0;
        for (NamedParameter p : parameters) {
            Tensor t = gradients ? p.parameter().gradient() : p.parameter().value();
            if (f != null) {
                System.arraycopy(((Float32Tensor) t).data(), 0, f, at, t.size());
            } else {
                System.arraycopy(((Float64Tensor) t).data(), 0, d, at, t.size());
            }
            at += t.size();
        }
        return new FlatArray(f, d);
    }

    /** Writes these values into the parameters' values ({@code gradients} false) or gradients. */
    void write(List<NamedParameter> parameters, boolean gradients) {
        int at = 0;
        for (NamedParameter p : parameters) {
            Tensor t = gradients ? p.parameter().gradient() : p.parameter().value();
            if (f32 != null) {
                System.arraycopy(f32, at, ((Float32Tensor) t).data(), 0, t.size());
            } else {
                System.arraycopy(f64, at, ((Float64Tensor) t).data(), 0, t.size());
            }
            at += t.size();
        }
    }
}
