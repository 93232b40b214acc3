package dev.nnkit.core.network;

import dev.nnkit.core.kernel.DenseKernels;

/** Which matrix-product kernels this JVM runs (for {@code nn --version}, logs and benchmark reports). */
public final class Kernels {
    private Kernels() {
    }

    /**
     * The float32 path for products above the tiny-network size: the Vector API kernels when the JVM
     * enables {@code jdk.incubator.vector}, else the portable loops.
     */
    public static String float32Path() {
        return DenseKernels.float32Path();
    }
}
