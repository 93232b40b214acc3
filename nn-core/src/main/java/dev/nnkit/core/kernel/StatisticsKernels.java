package dev.nnkit.core.kernel;

/**
 * Batch norm's float32 sums ({@link Float32Statistics}): the Vector API loops where this JVM has
 * them (see {@link Float32Kernels}), the plain loops otherwise. Each sum's order is fixed by the
 * run's length, so results do not depend on threads; the two paths round differently.
 */
public final class StatisticsKernels {
    private static final Float32Statistics CHOSEN = Float32Kernels.CHOSEN instanceof AxpyProducts
            ? new PortableStatistics()
            : Float32Kernels.load("VectorStatistics", Float32Statistics.class).orElseGet(PortableStatistics::new);

    private StatisticsKernels() {
    }

    /** See {@link Float32Statistics#sum}. */
    public static double sum(float[] a, int at, int n) {
        return CHOSEN.sum(a, at, n);
    }

    /** See {@link Float32Statistics#sumOfSquares}. */
    public static double sumOfSquares(float[] a, int at, int n, double shift) {
        return CHOSEN.sumOfSquares(a, at, n, shift);
    }

    /** See {@link Float32Statistics#sumAndProducts}. */
    public static void sumAndProducts(float[] a, int aAt, float[] b, int bAt, int n, double shift, double[] sums) {
        CHOSEN.sumAndProducts(a, aAt, b, bAt, n, shift, sums);
    }
}
