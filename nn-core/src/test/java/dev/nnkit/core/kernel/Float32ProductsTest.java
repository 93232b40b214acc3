package dev.nnkit.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every float32 implementation against a float64 reference, at shapes that hit the edges of the
 * blocking (rows not a multiple of the tile, columns not a multiple of the strip, a single column)
 * and the MLP's own shapes, which are split across threads. nn-core's tests run with the Vector
 * API module enabled (see its pom), so the Vector API kernels are tested here for real.
 */
class Float32ProductsTest {
    static Stream<Arguments> cases() {
        List<Float32Products> impls = List.of(new AxpyProducts(), TinyProducts.INSTANCE,
                Float32Kernels.vector().orElseThrow(() -> new AssertionError("the Vector API module is not enabled")));
        int[][] shapes = {{1, 1, 1}, {7, 5, 3}, {13, 37, 33}, {6, 64, 32}, {5, 31, 17}, {128, 784, 256},
            {128, 256, 128}, {128, 128, 10}, {10, 128, 128}, {67, 300, 70}, {250, 33, 70}, {32, 2, 4}, {32, 3, 5}, {32, 4, 3}, {1000, 40, 70},
            {1, 784, 256}, {1, 37, 70}, {1, 2048, 1031}, {2, 33, 70}, {3, 784, 256}, {5, 1031, 300},
            {32, 5003, 144}, {9, 4100, 16}}; // the last two: a wide B read in place (a convolution's W·P)
        return impls.stream().flatMap(p -> Stream.of(shapes).map(s -> Arguments.of(p.description(), p, s[0], s[1], s[2])));
    }

    @ParameterizedTest(name = "{0}: n={2} in={3} out={4}")
    @MethodSource("cases")
    void productsMatchAFloat64Reference(String name, Float32Products products, int n, int in, int out) {
        SplittableRandom random = new SplittableRandom(n * 31L + in * 7L + out);
        float[] x = random(random, n * in);
        float[] w = random(random, out * in);
        float[] b = random(random, out);
        float[] d = random(random, n * out);

        float[] z = new float[n * out];
        products.forward(x, w, b, z, n, in, out);
        float[] dw = new float[out * in];
        float[] db = new float[out];
        products.weightGradient(d, x, dw, db, n, in, out);
        float[] dx = new float[n * in];
        products.inputGradient(d, w, dx, n, in, out);

        checkProduct("Z", n, out, in, (i, o, k) -> (double) x[i * in + k] * w[o * in + k], b, z);
        checkProduct("db", 1, out, n, (unused, o, i) -> d[i * out + o], null, db);
        for (int o = 0; o < out; o++) { // every path sums the bias in row order, so bit for bit
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                sum += d[i * out + o];
            }
            assertEquals(sum, db[o], 0f, "db[" + o + "]");
        }
        checkProduct("dW", out, in, n, (o, k, i) -> (double) d[i * out + o] * x[i * in + k], null, dw);
        checkProduct("dX", n, in, out, (i, k, o) -> (double) d[i * out + o] * w[o * in + k], null, dx);
    }

    /** One term of an output element: element (row, col), term t of its sum. */
    @FunctionalInterface
    interface Term {
        double at(int row, int col, int t);
    }

    /** actual[row·cols + col] against the float64 sum of its terms (plus start[col] when given). */
    private static void checkProduct(String name, int rows, int cols, int terms, Term term, float[] start, float[] actual) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double sum = start == null ? 0 : start[c];
                double magnitudes = Math.abs(sum);
                for (int t = 0; t < terms; t++) {
                    double v = term.at(r, c, t);
                    sum += v;
                    magnitudes += Math.abs(v);
                }
                assertClose(sum, actual[r * cols + c], magnitudes, terms + 1, name + "[" + r + "][" + c + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0}, n={2}")
    @MethodSource("splits")
    void resultsDoNotDependOnTheSplitAcrossThreads(String name, Float32Products products, int n) throws Exception {
        // Large enough to be split across threads (at 1,000 rows, in several blocks of rows too); the
        // same product on a single thread must give identical bits.
        int in = 784, out = 256;
        SplittableRandom random = new SplittableRandom(5);
        float[] x = random(random, n * in);
        float[] w = random(random, out * in);
        float[] b = random(random, out);
        float[] split = new float[n * out];
        products.forward(x, w, b, split, n, in, out);
        float[] single = new float[n * out];
        Thread alone = new Thread(() -> Parallel.runAlone(() -> products.forward(x, w, b, single, n, in, out)));
        alone.start();
        alone.join();
        assertArrayEquals(split, single);
    }

    @org.junit.jupiter.api.Test
    void portableRowsDoNotDependOnTheBlockOfRowsTheyAreIn() {
        // The portable loops take four rows at a time and the rows left over one by one, with the same
        // rounding: a sample's output (and its input gradient) is the same alone as in a batch of 7,
        // and a unit's weight gradient the same alone as among 7 units. In and out are odd, so the
        // sources left over after the pairs are used too.
        AxpyProducts products = new AxpyProducts();
        int n = 7, in = 61, out = 7;
        SplittableRandom random = new SplittableRandom(11);
        float[] x = random(random, n * in);
        float[] w = random(random, out * in);
        float[] b = random(random, out);
        float[] d = random(random, n * out);
        float[] z = new float[n * out];
        products.forward(x, w, b, z, n, in, out);
        float[] dx = new float[n * in];
        products.inputGradient(d, w, dx, n, in, out);
        for (int i = 0; i < n; i++) {
            float[] zAlone = new float[out];
            products.forward(java.util.Arrays.copyOfRange(x, i * in, (i + 1) * in), w, b, zAlone, 1, in, out);
            assertArrayEquals(java.util.Arrays.copyOfRange(z, i * out, (i + 1) * out), zAlone, "forward, sample " + i);
            float[] dxAlone = new float[in];
            products.inputGradient(java.util.Arrays.copyOfRange(d, i * out, (i + 1) * out), w, dxAlone, 1, in, out);
            assertArrayEquals(java.util.Arrays.copyOfRange(dx, i * in, (i + 1) * in), dxAlone, "input gradient, sample " + i);
        }
        float[] dw = new float[out * in];
        float[] db = new float[out];
        products.weightGradient(d, x, dw, db, n, in, out);
        for (int o = 0; o < out; o++) {
            float[] column = new float[n];
            for (int i = 0; i < n; i++) {
                column[i] = d[i * out + o];
            }
            float[] dwAlone = new float[in];
            products.weightGradient(column, x, dwAlone, new float[1], n, in, 1);
            assertArrayEquals(java.util.Arrays.copyOfRange(dw, o * in, (o + 1) * in), dwAlone, "weight gradient, unit " + o);
        }
    }

    static Stream<Arguments> splits() {
        return implementations().flatMap(a -> Stream.of(128, 1000).map(n -> Arguments.of(a.get()[0], a.get()[1], n)));
    }

    static Stream<Arguments> implementations() {
        return Stream.of(new AxpyProducts(), Float32Kernels.vector().orElseThrow())
                .map(p -> Arguments.of(p.description(), p));
    }

    /** Float32 summation of k terms errs by at most about k·ε·Σ|terms| (ε = 2⁻²⁴); we allow that bound. */
    private static void assertClose(double expected, float actual, double sumOfMagnitudes, int terms, String what) {
        double tolerance = terms * 0x1p-24 * sumOfMagnitudes + 1e-30;
        assertTrue(Math.abs(expected - actual) <= tolerance,
                () -> what + ": expected " + expected + ", got " + actual + " (tolerance " + tolerance + ")");
    }

    private static float[] random(SplittableRandom random, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        return a;
    }

    @org.junit.jupiter.api.Test
    void withoutHardwareFusedMultiplyAddsTheAutomaticChoiceIsThePortableLoops() throws Exception {
        // The Vector API kernels' fused multiply-adds become BigDecimal computations per lane where
        // the JVM does not run them as instructions: a child JVM with -XX:-UseFMA, the Vector API
        // module enabled, must choose the portable loops with separate multiplies and adds.
        assertTrue(Float32Kernels.CHOSEN.description().startsWith("Vector API"), Float32Kernels.CHOSEN.description());
        Process child = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UseFMA", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                ChosenKernels.class.getName()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), out);
        assertTrue(out.contains("chosen: portable loops (C2 auto-vectorized)\n"), out);
        assertTrue(out.contains("UseFMA is off"), "the log line says why: " + out);
    }

    /** Prints the float32 products the automatic choice made in this JVM. */
    static final class ChosenKernels {
        public static void main(String[] args) {
            System.out.println("chosen: " + Float32Kernels.CHOSEN.description());
        }
    }

    @org.junit.jupiter.api.Test
    void anUnknownKernelChoiceIsRejectedWithTheAllowedValues() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Float32Kernels.choose("fast"));
        assertEquals("-Dnnkit.kernels=fast is not one of auto, vector, portable", e.getMessage());
    }

    @ParameterizedTest(name = "n={0} in={1} out={2}")
    @org.junit.jupiter.params.provider.CsvSource({
        "300,40,250",   // weight gradient: 250 rows (blocks of rows), k = 300 (two blocks of k), an 8-wide edge strip
        "250,600,70",   // forward: k = 600 in three blocks, 4 rows left over below a tile, a 6-wide edge strip
        "100,1031,45",  // few rows: strips packed one at a time, k in five blocks
        "32,700,4100",  // input gradient: a wide B read in place, k = 4100 in blocks
        "6,2100,40"})   // one tile of rows, k in nine blocks
    void vectorProductsSumEachElementAsOneChainOfFusedMultiplyAddsBitForBit(int n, int in, int out) {
        // Whatever the tile, block of k, strip or thread, an element is bias + Σₖ in k order, one
        // FMA per term: Math.fma in a plain loop gives the very bits.
        Float32Products vector = Float32Kernels.vector().orElseThrow();
        SplittableRandom random = new SplittableRandom(n * 7L + in * 3L + out);
        float[] x = random(random, n * in);
        float[] d = random(random, n * out);
        float[] w = random(random, out * in);
        float[] b = random(random, out);
        float[] z = new float[n * out];
        vector.forward(x, w, b, z, n, in, out);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                float acc = b[o];
                for (int k = 0; k < in; k++) {
                    acc = Math.fma(x[i * in + k], w[o * in + k], acc);
                }
                assertEquals(acc, z[i * out + o], 0f, "Z[" + i + "][" + o + "]");
            }
        }
        float[] dw = new float[out * in];
        vector.weightGradient(d, x, dw, new float[out], n, in, out);
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < in; k++) {
                float acc = 0f;
                for (int i = 0; i < n; i++) {
                    acc = Math.fma(d[i * out + o], x[i * in + k], acc);
                }
                assertEquals(acc, dw[o * in + k], 0f, "dW[" + o + "][" + k + "]");
            }
        }
        float[] dx = new float[n * in];
        vector.inputGradient(d, w, dx, n, in, out);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < in; k++) {
                float acc = 0f;
                for (int o = 0; o < out; o++) {
                    acc = Math.fma(d[i * out + o], w[o * in + k], acc);
                }
                assertEquals(acc, dx[i * in + k], 0f, "dX[" + i + "][" + k + "]");
            }
        }
    }

    @ParameterizedTest(name = "n={0} in={1} out={2}")
    @org.junit.jupiter.params.provider.CsvSource({"32,2,4", "32,4,3", "32,3,1", "1,2,4", "9,7,6", "5,3,5", "3,9,2", "4,5,1", "2,1,3", "7,8,7"})
    void tinyProductsSumInTheDotProductsOrderBitForBit(int n, int in, int out) {
        // The tiny loops reorder the loop nest, not the sums: each element equals the plain dot product.
        SplittableRandom random = new SplittableRandom(n + in * 10L + out * 100L);
        float[] x = random(random, n * in);
        float[] d = random(random, n * out);
        float[] w = random(random, out * in);
        float[] b = random(random, out);
        float[] z = new float[n * out];
        TinyProducts.INSTANCE.forward(x, w, b, z, n, in, out);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                float acc = b[o];
                for (int k = 0; k < in; k++) {
                    acc += x[i * in + k] * w[o * in + k];
                }
                assertEquals(acc, z[i * out + o], 0f, "Z[" + i + "][" + o + "]");
            }
        }
        float[] dw = new float[out * in];
        float[] db = new float[out];
        TinyProducts.INSTANCE.weightGradient(d, x, dw, db, n, in, out);
        for (int o = 0; o < out; o++) {
            float bias = 0f;
            for (int i = 0; i < n; i++) {
                bias += d[i * out + o];
            }
            assertEquals(bias, db[o], 0f);
            for (int k = 0; k < in; k++) {
                float acc = 0f;
                for (int i = 0; i < n; i++) {
                    acc += d[i * out + o] * x[i * in + k];
                }
                assertEquals(acc, dw[o * in + k], 0f, "dW[" + o + "][" + k + "]");
            }
        }
        float[] dx = new float[n * in];
        TinyProducts.INSTANCE.inputGradient(d, w, dx, n, in, out);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < in; k++) {
                float acc = 0f;
                for (int o = 0; o < out; o++) {
                    acc += d[i * out + o] * w[o * in + k];
                }
                assertEquals(acc, dx[i * in + k], 0f, "dX[" + i + "][" + k + "]");
            }
        }
    }
}
