package dev.nnkit.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both element-wise implementations give exactly the branchy reference, NaN, ±0 and tails included. */
class Float32ElementwiseTest {
    static Stream<Arguments> cases() {
        return Stream.of(new PortableElementwise(), new VectorElementwise())
                .flatMap(e -> Stream.of(0f, 0.01f, 1f, 1.5f).flatMap(slope -> Stream.of(1, 16, 37, 1000)
                        .map(n -> Arguments.of(e.getClass().getSimpleName(), e, slope, n))));
    }

    @ParameterizedTest(name = "{0} slope={2} n={3}")
    @MethodSource("cases")
    void matchesTheBranchyDefinition(String name, Float32Elementwise e, float slope, int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] z = new float[n + 3];
        float[] g = new float[n + 3];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextDouble(-2, 2);
            g[i] = (float) random.nextDouble(-2, 2);
        }
        float[] special = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.MIN_VALUE,
            -Float.MIN_VALUE};
        int from = n / 3; // a range that starts off any vector boundary, as a thread's share may
        for (int i = 0; i < special.length && i < n - from; i++) {
            z[from + i * 7 % (n - from)] = special[i];
        }
        float[] a = new float[n + 3];
        float[] dz = new float[n + 3];
        e.leakyRelu(z, a, from, n, slope);
        e.leakyReluBackward(z, g, dz, from, n, slope);
        for (int i = 0; i < from; i++) {
            assertEquals(0f, a[i], "wrote before from");
            assertEquals(0f, dz[i], "wrote before from");
        }
        for (int i = from; i < n; i++) {
            float expectedA = slope == 0 ? Math.max(z[i], 0f) : z[i] > 0 ? z[i] : slope * z[i];
            float expectedDz = z[i] > 0 ? g[i] : slope * g[i];
            // Numerically equal: the sign of a zero output is not specified.
            assertTrue(expectedA == a[i] || Float.isNaN(expectedA) && Float.isNaN(a[i]),
                    "a[" + i + "] for z=" + z[i] + ": expected " + expectedA + ", got " + a[i]);
            assertTrue(expectedDz == dz[i] || Float.isNaN(expectedDz) && Float.isNaN(dz[i]),
                    "dz[" + i + "] for z=" + z[i] + ": expected " + expectedDz + ", got " + dz[i]);
        }
        for (int i = n; i < n + 3; i++) {
            assertEquals(0f, a[i], "wrote past n");
            assertEquals(0f, dz[i], "wrote past n");
        }
    }

    static Stream<Arguments> implementations() {
        return Stream.of(new PortableElementwise(), new VectorElementwise())
                .map(e -> Arguments.of(e.getClass().getSimpleName(), e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void sigmoidIsWithinFourUlpsOfTheDoubleFormulaAndNeverOverflows(String name, Float32Elementwise e) {
        SplittableRandom random = new SplittableRandom(3);
        int n = 1000;
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) random.nextDouble(-30, 30);
        }
        float[] special = {0f, -0f, 1e-30f, -1e-30f, 88f, -88f, 104f, -104f, 1e30f, -1e30f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        System.arraycopy(special, 0, z, 0, special.length);
        float[] a = new float[n];
        e.sigmoid(z, a, n);
        for (int i = 0; i < n; i++) {
            double expected = ActivationKernels.sigmoid(z[i]);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(a[i]), "σ(NaN) = NaN, got " + a[i]);
                continue;
            }
            assertTrue(a[i] >= 0f && a[i] <= 1f, "σ(" + z[i] + ") = " + a[i] + " is outside [0, 1]");
            double ulp = Math.ulp((float) expected);
            assertTrue(Math.abs(a[i] - expected) <= 4 * ulp,
                    "σ(" + z[i] + "): expected " + expected + ", got " + a[i] + " (" + Math.abs(a[i] - expected) / ulp + " ulps)");
        }
        if (e instanceof PortableElementwise) {
            for (int i = 0; i < n; i++) {
                assertEquals((float) ActivationKernels.sigmoid(z[i]), a[i], 0f, "the portable path rounds the double formula");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void sigmoidBackwardIsPyTorchsFloatFormula(String name, Float32Elementwise e) {
        for (int n : new int[] {1, 7, 16, 37, 1000}) {
            SplittableRandom random = new SplittableRandom(n);
            float[] a = new float[n + 1];
            float[] g = new float[n + 1];
            for (int i = 0; i < n; i++) {
                a[i] = (float) random.nextDouble();
                g[i] = (float) random.nextDouble(-3, 3);
            }
            float[] special = {0f, 1f, Float.MIN_VALUE, 0.5f, Math.nextDown(1f), Float.NaN};
            for (int i = 0; i < special.length && i < n; i++) {
                a[i * 5 % n] = special[i];
            }
            float[] out = new float[n + 1];
            e.sigmoidBackward(a, g, out, n);
            for (int i = 0; i < n; i++) {
                float expected = g[i] * (1 - a[i]) * a[i]; // as torch's sigmoid_backward: grad * (1 - y) * y
                // floatToIntBits: every NaN alike (a NaN's sign bit is not specified and varies
                // with the instructions the JIT picks)
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[i]),
                        "a=" + a[i] + " g=" + g[i] + " at " + i + " of " + n);
            }
            assertEquals(0f, out[n], "wrote past n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void tanhIsWithinTwoUlpsOfMathTanhAndKeepsTheSign(String name, Float32Elementwise e) {
        SplittableRandom random = new SplittableRandom(4);
        int n = 1000;
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) (i % 2 == 0 ? random.nextDouble(-1, 1) : random.nextDouble(-12, 12));
        }
        float[] special = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-5f, -1e-5f, 0.625f, -0.625f,
            9f, -9f, 1e30f, -1e30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        System.arraycopy(special, 0, z, 0, special.length);
        float[] a = new float[n + 1];
        e.tanh(z, a, n);
        for (int i = 0; i < n; i++) {
            double expected = Math.tanh(z[i]);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(a[i]), "tanh(NaN) = NaN, got " + a[i]);
                continue;
            }
            double ulp = Math.ulp((float) expected);
            assertTrue(Math.abs(a[i] - expected) <= 2 * ulp,
                    "tanh(" + z[i] + "): expected " + expected + ", got " + a[i] + " (" + Math.abs(a[i] - expected) / ulp + " ulps)");
            assertEquals(Math.copySign(1f, z[i]), Math.copySign(1f, a[i]), "the sign of tanh(" + z[i] + ") = " + a[i]);
            if (e instanceof PortableElementwise) {
                assertEquals((float) expected, a[i], 0f, "the portable path rounds tanh correctly: tanh(" + z[i] + ")");
            }
        }
        assertEquals(0f, a[n], "wrote past n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void tanhBackwardIsOneMinusASquaredTimesG(String name, Float32Elementwise e) {
        for (int n : new int[] {1, 7, 16, 37, 1000}) {
            SplittableRandom random = new SplittableRandom(n);
            float[] a = new float[n + 1];
            float[] g = new float[n + 1];
            for (int i = 0; i < n; i++) {
                a[i] = (float) random.nextDouble(-1, 1);
                g[i] = (float) random.nextDouble(-3, 3);
            }
            float[] special = {0f, 1f, -1f, Float.MIN_VALUE, Math.nextDown(1f), Float.NaN};
            for (int i = 0; i < special.length && i < n; i++) {
                a[i * 5 % n] = special[i];
            }
            float[] out = new float[n + 1];
            e.tanhBackward(a, g, out, n);
            for (int i = 0; i < n; i++) {
                // torch's tanh_backward rounds 1 − y² once (a fused multiply-add: bit for bit on
                // 200,000 values); the portable path rounds y² first (see PortableElementwise).
                float expected = e instanceof VectorElementwise ? g[i] * Math.fma(-a[i], a[i], 1f) : g[i] * (1 - a[i] * a[i]);
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[i]),
                        "a=" + a[i] + " g=" + g[i] + " at " + i + " of " + n);
            }
            assertEquals(0f, out[n], "wrote past n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void sigmoidOfAValueDoesNotDependOnWhereItSits(String name, Float32Elementwise e) {
        // The vector path's last, partial vector runs the same code under a mask: the same z gives
        // the same bits at the end of an array as in its middle, and nothing past n is written.
        SplittableRandom random = new SplittableRandom(5);
        float[] z = new float[200];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextDouble(-12, 12);
        }
        float[] whole = new float[z.length];
        e.sigmoid(z, whole, z.length);
        for (int length = 1; length <= 40; length++) {
            for (int offset = 0; offset + length <= z.length; offset += 13) {
                float[] part = java.util.Arrays.copyOfRange(z, offset, offset + length + 1);
                float[] a = new float[length + 1];
                e.sigmoid(part, a, length);
                for (int i = 0; i < length; i++) {
                    assertEquals(Float.floatToRawIntBits(whole[offset + i]), Float.floatToRawIntBits(a[i]),
                            "σ(" + part[i] + ") at " + i + " of " + length + " vs at " + (offset + i) + " of 200");
                }
                assertEquals(0f, a[length], "wrote past n");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theDoubleSigmoidIsTheTwoBranchFormulaBitForBit() {
        // σ(z) = 1/(1 + e^−z) for z ≥ 0 and e^z/(1 + e^z) below, as written in the seeds; the
        // kernel shares one exp and selects the numerator, which must not change a single bit.
        SplittableRandom random = new SplittableRandom(11);
        double[] special = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, -Double.MIN_VALUE, 36.7, -36.7, 709.8, -709.8,
            745.2, -745.2, 1e300, -1e300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        for (int i = 0; i < 100_000 + special.length; i++) {
            double z = i < special.length ? special[i] : random.nextDouble(-50, 50) * (i % 3 == 0 ? 1e-3 : 1);
            double twoBranches = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
            assertEquals(Double.doubleToLongBits(twoBranches), Double.doubleToLongBits(ActivationKernels.sigmoid(z)),
                    "σ(" + z + ")");
        }
    }
}
