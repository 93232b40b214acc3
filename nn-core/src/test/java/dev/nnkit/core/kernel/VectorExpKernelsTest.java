package dev.nnkit.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Vector API sigmoid and tanh give the same bits however they run: compiled by C2 (warmed up
 * here), one element at a time through their scalar twins, and interpreted in a child JVM with
 * -Xint, where the Vector API falls back to plain Java (with the Vector API's own exp the last two
 * differed from the first in 1% of sigmoid values). And they stay within a few ulps of the
 * function computed in double, subnormal results included.
 */
class VectorExpKernelsTest {
    /** A kernel, its scalar twin, the double-precision reference and the ulps allowed from it. */
    enum Function {
        SIGMOID(VectorSigmoid::sigmoid, ActivationKernels::sigmoid, 4) { // 2.7 at most
            @Override
            void run(float[] z, float[] a, int n) {
                VectorSigmoid.sigmoid(z, a, n);
            }
        },
        TANH(VectorTanh::tanh, Math::tanh, 2) { // 1.5 ulps at most in 4,000,000 random floats
            @Override
            void run(float[] z, float[] a, int n) {
                VectorTanh.tanh(z, a, n);
            }
        };

        final FloatUnary twin;
        final DoubleUnaryOperator reference;
        final int ulps;

        Function(FloatUnary twin, DoubleUnaryOperator reference, int ulps) {
            this.twin = twin;
            this.reference = reference;
            this.ulps = ulps;
        }

        abstract void run(float[] z, float[] a, int n);
    }

    @FunctionalInterface
    interface FloatUnary {
        float apply(float z);
    }

    static float[] inputs() {
        SplittableRandom random = new SplittableRandom(23);
        float[] z = new float[1 << 16];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) switch (i % 4) {
                case 0 -> random.nextDouble(-110, -80);
                case 1 -> random.nextDouble(-1, 1); // both sides of tanh's switch at |z| = 0.625
                case 2 -> Math.scalb(random.nextDouble(-1, 1), -random.nextInt(140)); // tiny, subnormal
                default -> random.nextDouble(-40, 40);
            };
        }
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 87.3f, -87.3f, 88.7f, -88.7f, 103.9f, -103.9f,
            104f, -104f, 150f, -150f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, 0.625f, -0.625f, Math.nextDown(0.625f), Math.nextUp(-0.625f), 9f, -9f,
            52f, -52f};
        System.arraycopy(special, 0, z, 0, special.length);
        return z;
    }

    /** A digest of the function over {@link #inputs()}: run by the child JVM too. */
    static long digest(Function f) {
        float[] z = inputs();
        float[] a = new float[z.length];
        f.run(z, a, z.length);
        return Arrays.hashCode(a) * 31L + Arrays.hashCode(bits(a));
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToIntBits(a[i]); // every NaN alike: a NaN's sign bit varies with the instructions
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(Function.class)
    void compiledScalarAndInterpretedRunsGiveTheSameBits(Function f) throws IOException, InterruptedException {
        float[] z = inputs();
        float[] a = new float[z.length];
        for (int warm = 0; warm < 3_000; warm++) { // until C2 has compiled the loop
            f.run(z, a, z.length);
        }
        for (int i = 0; i < z.length; i++) {
            assertEquals(Float.floatToIntBits(f.twin.apply(z[i])), Float.floatToIntBits(a[i]),
                    f + "(" + z[i] + "): scalar twin " + f.twin.apply(z[i]) + ", vector " + a[i]);
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xint",
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Digest.class.getName(), f.name()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), out);
        String[] lines = out.strip().split("\n");
        assertEquals(Long.toString(digest(f)), lines[lines.length - 1], "digest of " + f + " interpreted (-Xint) vs compiled");
    }

    @ParameterizedTest
    @EnumSource(Function.class)
    void withinAFewUlpsOfTheDoubleFunction(Function f) {
        float[] z = inputs();
        float[] a = new float[z.length];
        f.run(z, a, z.length);
        for (int i = 0; i < z.length; i++) {
            double expected = f.reference.applyAsDouble(z[i]);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(a[i]), f + "(NaN) = NaN, got " + a[i]);
                continue;
            }
            double ulp = Math.ulp((float) expected);
            assertTrue(Math.abs(a[i] - expected) <= f.ulps * ulp, f + "(" + z[i] + "): expected " + expected + ", got "
                    + a[i] + " (" + Math.abs(a[i] - expected) / ulp + " ulps)");
            if (f == Function.TANH) {
                assertEquals(Math.copySign(1f, z[i]), Math.copySign(1f, a[i]), "tanh keeps the sign, ±0 included: " + z[i]);
            }
        }
    }

    /** The child JVM's entry point: prints the digest of the function named by its argument. */
    static final class Digest {
        public static void main(String[] args) {
            System.out.println(digest(Function.valueOf(args[0])));
        }
    }
}
