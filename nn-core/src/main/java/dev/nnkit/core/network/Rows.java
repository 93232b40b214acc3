package dev.nnkit.core.network;

import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Float64Tensor;
import dev.nnkit.api.tensor.Tensor;

/** Copies runs of values between tensors of one dtype (rows of a batch, as flat ranges). */
final class Rows {
    private Rows() {
    }

    static void copy(Tensor src, int srcPos, Tensor dst, int dstPos, int length) {
        if (src instanceof Float32Tensor s && dst instanceof Float32Tensor d) {
            System.arraycopy(s.data(), srcPos, d.data(), dstPos, length);
        } else if (src instanceof Float64Tensor s && dst instanceof Float64Tensor d) {
            System.arraycopy(s.data(), srcPos, d.data(), dstPos, length);
        } else {
            throw new IllegalArgumentException("copying between " + src.dtype() + " and " + dst.dtype());
        }
    }
}
