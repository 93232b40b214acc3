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

    /** The compute backend's kernels and threads, for {@code nn --version} and logs. */
    public static String backend() {
        return dev.nnkit.core.kernel.ComputeBackend.get().description();
    }
}
