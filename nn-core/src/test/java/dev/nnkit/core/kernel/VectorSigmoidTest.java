package dev.nnkit.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API sigmoid gives the same bits however it runs: compiled by C2 (warmed up here),
 * one element at a time through its scalar twin, and interpreted in a child JVM with -Xint, where
 * the Vector API falls back to plain Java (with the Vector API's own exp the last two differed
 * from the first in 1% of values). And it stays within 4 ulps of σ computed in double, subnormal
 * results included.
 */
class VectorSigmoidTest {
    static float[] inputs() {
        SplittableRandom random = new SplittableRandom(23);
        float[] z = new float[1 << 16];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (i % 4 == 0 ? random.nextDouble(-110, -80) : random.nextDouble(-40, 40));
        }
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 87.3f, -87.3f, 88.7f, -88.7f, 103.9f, -103.9f,
            104f, -104f, 150f, -150f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN};
        System.arraycopy(special, 0, z, 0, special.length);
        return z;
    }

    /** A digest of σ over {@link #inputs()}: run by the child JVM too. */
    static long digest() {
        float[] z = inputs();
        float[] a = new float[z.length];
        VectorSigmoid.sigmoid(z, a, z.length);
        return Arrays.hashCode(a) * 31L + Arrays.hashCode(bits(a));
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToIntBits(a[i]); // every NaN alike: a NaN's sign bit varies with the instructions
        }
        return b;
    }

    @Test
    void compiledScalarAndInterpretedRunsGiveTheSameBits() throws IOException, InterruptedException {
        float[] z = inputs();
        float[] a = new float[z.length];
        for (int warm = 0; warm < 3_000; warm++) { // until C2 has compiled the loop
            VectorSigmoid.sigmoid(z, a, z.length);
        }
        for (int i = 0; i < z.length; i++) {
            assertEquals(Float.floatToIntBits(VectorSigmoid.sigmoid(z[i])), Float.floatToIntBits(a[i]),
                    "σ(" + z[i] + "): scalar twin " + VectorSigmoid.sigmoid(z[i]) + ", vector " + a[i]);
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xint",
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                SigmoidDigest.class.getName()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), out);
        String[] lines = out.strip().split("\n");
        assertEquals(Long.toString(digest()), lines[lines.length - 1], "digest of σ interpreted (-Xint) vs compiled");
    }

    @Test
    void withinFourUlpsOfTheDoubleFormula() {
        float[] z = inputs();
        float[] a = new float[z.length];
        VectorSigmoid.sigmoid(z, a, z.length);
        for (int i = 0; i < z.length; i++) {
            double expected = ActivationKernels.sigmoid(z[i]);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(a[i]), "σ(NaN) = NaN, got " + a[i]);
                continue;
            }
            double ulp = Math.ulp((float) expected);
            assertTrue(Math.abs(a[i] - expected) <= 4 * ulp,
                    "σ(" + z[i] + "): expected " + expected + ", got " + a[i] + " (" + Math.abs(a[i] - expected) / ulp + " ulps)");
        }
    }

    /** The child JVM's entry point: prints the digest. */
    static final class SigmoidDigest {
        public static void main(String[] args) {
            System.out.println(digest());
        }
    }
}
