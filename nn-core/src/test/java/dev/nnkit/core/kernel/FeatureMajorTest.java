package dev.nnkit.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The feature-major products against the row-major tiny loops (forward and input gradient: bit
 * for bit) and against a scalar emulation of the weight gradient's documented order (bit for bit,
 * and within float32 summation's error bound of the exact sum). Padding lanes are filled with NaN:
 * they must not reach any real result. nn-core's tests run with the Vector API module.
 */
class FeatureMajorTest {
    private static final FeatureMajorProducts PRODUCTS = Float32Kernels.FEATURE_MAJOR;

    @ParameterizedTest(name = "n={0} in={1} out={2}")
    @CsvSource({"16,2,4", "32,2,4", "32,4,3", "32,3,1", "20,3,6", "17,5,5", "33,1,2", "100,4,4", "48,9,8"})
    void productsMatchTheRowMajorLoops(int n, int in, int out) {
        assertNotNull(PRODUCTS, "the Vector API module is not enabled");
        SplittableRandom random = new SplittableRandom(n * 131L + in * 17L + out);
        float[] x = random(random, n * in);
        float[] w = random(random, out * in);
        float[] b = random(random, out);
        float[] d = random(random, n * out);
        int stride = FeatureMajor.stride(n);
        float[] xT = toFeatureMajor(x, n, in, stride);
        float[] dT = toFeatureMajor(d, n, out, stride);

        float[] z = new float[n * out];
        TinyProducts.INSTANCE.forward(x, w, b, z, n, in, out);
        float[] zT = new float[out * stride];
        PRODUCTS.forward(xT, w, b, zT, stride, in, out);
        assertBits("z", z, toRowMajor(zT, stride, n, out));

        float[] dx = new float[n * in];
        TinyProducts.INSTANCE.inputGradient(d, w, dx, n, in, out);
        float[] dxT = new float[in * stride];
        PRODUCTS.inputGradient(dT, w, dxT, stride, in, out);
        assertBits("dX", dx, toRowMajor(dxT, stride, n, in));

        float[] dw = new float[out * in];
        float[] db = new float[out];
        PRODUCTS.weightGradient(dT, xT, dw, db, n, stride, in, out);
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < in; k++) {
                assertEquals(emulated(d, x, n, out, in, o, k), dw[o * in + k], 0f, "dW[" + o + "][" + k + "]");
                assertWithinSummationBound("dW[" + o + "][" + k + "]", d, x, n, out, in, o, k, dw[o * in + k]);
            }
            assertEquals(emulated(d, null, n, out, in, o, 0), db[o], 0f, "db[" + o + "]");
            assertWithinSummationBound("db[" + o + "]", d, null, n, out, in, o, 0, db[o]);
        }
    }

    /**
     * The documented order: lane j sums rows j, j + L, j + 2L, ... (with fused multiply-adds, from
     * zero); then lanes j and j + L/2 are added, then j and j + L/4, down to one.
     */
    private static float emulated(float[] d, float[] x, int n, int out, int in, int o, int k) {
        int lanes = VectorFeatureMajor.L;
        float[] partial = new float[lanes];
        for (int i = 0; i < FeatureMajor.stride(n); i++) {
            float di = i < n ? d[i * out + o] : 0f;
            float xi = x == null ? 1f : i < n ? x[i * in + k] : 0f;
            partial[i % lanes] = x == null ? partial[i % lanes] + di : Math.fma(di, xi, partial[i % lanes]);
        }
        for (int h = lanes / 2; h > 0; h /= 2) {
            for (int j = 0; j < h; j++) {
                partial[j] += partial[j + h];
            }
        }
        return partial[0];
    }

    /** |s − Σ terms| ≤ n·2⁻²⁴·Σ |terms|, the sum and the bound taken in double. */
    private static void assertWithinSummationBound(String what, float[] d, float[] x, int n, int out, int in, int o,
                                                   int k, float actual) {
        double exact = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            double term = (double) d[i * out + o] * (x == null ? 1 : x[i * in + k]);
            exact += term;
            magnitude += Math.abs(term);
        }
        assertEquals(exact, actual, n * 0x1p-24 * magnitude, what);
    }

    private static void assertBits(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + "[" + i + "]: " + expected[i] + " vs " + actual[i]);
        }
    }

    /** [n × cols] row-major to [cols × stride], padding lanes NaN. */
    private static float[] toFeatureMajor(float[] rows, int n, int cols, int stride) {
        float[] t = new float[cols * stride];
        Arrays.fill(t, Float.NaN);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cols; c++) {
                t[c * stride + i] = rows[i * cols + c];
            }
        }
        return t;
    }

    /** [cols × stride] back to [n × cols]. */
    private static float[] toRowMajor(float[] t, int stride, int n, int cols) {
        float[] rows = new float[n * cols];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cols; c++) {
                rows[i * cols + c] = t[c * stride + i];
            }
        }
        return rows;
    }

    private static float[] random(SplittableRandom random, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }
}
