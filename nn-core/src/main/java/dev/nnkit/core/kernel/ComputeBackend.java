package dev.nnkit.core.kernel;

import dev.nnkit.api.tensor.Tensor;

/**
 * The compute backend: chosen once per JVM (the Vector API kernels when the JVM enables
 * {@code jdk.incubator.vector}, else the portable loops; float32 and float64 alike) with its worker
 * threads ({@code -Dnnkit.threads=N}, one per core by default). Layers ask it for matrix products
 * and own no kernels. The three products are the general ones a dense layer needs and a
 * convolution needs too, on im2col patches: forward = patches·Wᵀ + b, weight gradient = δᵀ·patches,
 * patch gradient = δ·W. Every element is summed in a fixed order, so results do not depend on the
 * number of threads, and every method is safe to call from many threads at once (scratch is per
 * calling thread; the workers serve one caller at a time, and a caller that finds them busy runs its
 * products on its own thread, which is logged once).
 *
 * <p>Public for the engine's packages; the package is not exported.
 */
public final class ComputeBackend {
    private static final ComputeBackend INSTANCE = new ComputeBackend();

    private ComputeBackend() {
    }

    /** The backend of this JVM. */
    public static ComputeBackend get() {
        return INSTANCE;
    }

    /** Which kernels run, and on how many threads: "Vector API, 512-bit; 2 threads". */
    public String description() {
        return DenseKernels.float32Path() + "; " + threads() + (threads() == 1 ? " thread" : " threads");
    }

    /** The threads a product may use, the caller's included. */
    public int threads() {
        return Parallel.maxThreads();
    }

    /** C = A·Bᵀ (+ bias on every row): A [m×k], B [n×k], C [m×n]. A dense layer's forward. */
    public void multiplyByTransposed(Tensor a, Tensor b, Tensor bias, boolean hasBias, Tensor c) {
        DenseKernels.forward(a, b, bias, hasBias, c);
    }

    /**
     * C = Aᵀ·B, overwriting C, and the column sums of A into {@code columnSums} when asked:
     * A [m×n], B [m×k], C [n×k]. A dense layer's weight and bias gradients.
     */
    public void transposedMultiply(Tensor a, Tensor b, Tensor c, Tensor columnSums, boolean sumColumns) {
        DenseKernels.weightGradient(a, b, c, columnSums, sumColumns);
    }

    /** C = A·B, overwriting C: A [m×n], B [n×k], C [m×k]. A dense layer's input gradient. */
    public void multiply(Tensor a, Tensor b, Tensor c) {
        DenseKernels.inputGradient(a, b, c);
    }
}
