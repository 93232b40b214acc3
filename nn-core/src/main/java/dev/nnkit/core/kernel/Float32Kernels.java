package dev.nnkit.core.kernel;

import java.lang.invoke.MethodHandles;

/**
 * Chooses the float32 (and with them the float64) products once per JVM: the Vector API kernels when the incubating module
 * {@code jdk.incubator.vector} is enabled ({@code --add-modules jdk.incubator.vector}, as the
 * {@code ./nn} launcher does) and work, and the JVM runs fused multiply-adds as instructions, else the
 * portable loops. {@code -Dnnkit.kernels=portable}
 * forces the portable loops. The two sum in different orders, so their results differ in the last
 * bits; each on its own is independent of the thread count.
 */
final class Float32Kernels {
    static final Float32Products CHOSEN = chooseOrWarn(System.getProperty("nnkit.kernels", "auto"));
    static final Float32Elementwise ELEMENTWISE = CHOSEN instanceof AxpyProducts
            ? new PortableElementwise() : vectorElementwise();
    /** The float64 products of the same path. */
    static final Float64Products FLOAT64 = CHOSEN instanceof AxpyProducts
            ? AxpyDoubleProducts.INSTANCE : vector64().orElse(AxpyDoubleProducts.INSTANCE);

    /** The products of tiny layers on feature-major buffers: Vector API only (null on the portable path). */
    static final FeatureMajorProducts FEATURE_MAJOR = CHOSEN instanceof AxpyProducts
            ? null : load("VectorFeatureMajor", FeatureMajorProducts.class).orElse(null);

    private Float32Kernels() {
    }

    /**
     * The kernels asked for; a request that cannot be met is reported and the choice made
     * automatically: thrown from here it would surface as an ExceptionInInitializerError in whatever
     * first ran a product.
     */
    private static Float32Products chooseOrWarn(String wanted) {
        try {
            return choose(wanted);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.getLogger("dev.nnkit.kernels").log(System.Logger.Level.WARNING, "nnkit: ignoring "
                    + e.getMessage() + "; choosing the kernels automatically.");
            return choose("auto");
        }
    }

    static Float32Products choose(String wanted) {
        return switch (wanted) {
            case "portable" -> new AxpyProducts();
            case "vector" -> vector().orElseThrow(() -> new IllegalStateException(
                    "-Dnnkit.kernels=vector needs the JVM option --add-modules jdk.incubator.vector"));
            case "auto" -> vector().map(Float32Kernels::unlessFmaIsSlow).orElseGet(Float32Kernels::portableWithHint);
            default -> throw new IllegalArgumentException(
                    "-Dnnkit.kernels=" + wanted + " is not one of auto, vector, portable");
        };
    }

    /**
     * The Vector API kernels multiply and add with fused multiply-adds; where the JVM does not run
     * them as instructions (x86 before Haswell, or -XX:-UseFMA), every lane of every one becomes a
     * BigDecimal computation, and a training step takes minutes instead of a millisecond. The
     * portable loops then use separate multiplies and adds. Asked only when the Vector API module
     * is there (the management bean costs about 17 ms once).
     */
    private static Float32Products unlessFmaIsSlow(Float32Products vector) {
        if (HardwareFma.AVAILABLE) {
            return vector;
        }
        System.getLogger("dev.nnkit.kernels").log(System.Logger.Level.INFO, "nnkit: this JVM does not run fused"
                + " multiply-adds as processor instructions (HotSpot's UseFMA is off), which the Vector API kernels"
                + " rely on, so matrix products run on portable loops.");
        return new AxpyProducts();
    }

    /**
     * The portable loops, saying once how to get the fast kernels: a library user on a stock JDK
     * otherwise never learns that the products run two to three times slower than they could.
     */
    private static Float32Products portableWithHint() {
        System.getLogger("dev.nnkit.kernels").log(System.Logger.Level.INFO, "nnkit: the JDK's Vector API module is"
                + " not enabled, so matrix products run on portable loops, two to three times slower; add the JVM"
                + " option --add-modules jdk.incubator.vector for the fast kernels (-Dnnkit.kernels=portable keeps"
                + " the portable loops without this message).");
        return new AxpyProducts();
    }

    private static Float32Elementwise vectorElementwise() {
        try {
            Class<?> type = MethodHandles.lookup().findClass("dev.nnkit.core.kernel.VectorElementwise");
            return (Float32Elementwise) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new PortableElementwise(); // unreachable when the Vector API products loaded
        }
    }

    /** The Vector API kernels if this JVM resolved the incubator module (loading them fails otherwise). */
    static java.util.Optional<Float32Products> vector() {
        return load("VectorProducts", Float32Products.class);
    }

    /** The float64 Vector API kernels, under the same condition. */
    static java.util.Optional<Float64Products> vector64() {
        return load("VectorDoubleProducts", Float64Products.class);
    }

    static <T> java.util.Optional<T> load(String simpleName, Class<T> type) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            Class<?> found = MethodHandles.lookup().findClass("dev.nnkit.core.kernel." + simpleName);
            return java.util.Optional.of(type.cast(found.getDeclaredConstructor().newInstance()));
        } catch (ReflectiveOperationException | LinkageError e) {
            return java.util.Optional.empty();
        }
    }
}
