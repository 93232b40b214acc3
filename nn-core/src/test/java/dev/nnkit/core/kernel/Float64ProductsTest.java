package dev.nnkit.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Float64Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both float64 implementations (portable loops, Vector API) against straightforward sums, at shapes
 * that hit the edges of the blocking and the MLP's shapes (split across threads); and
 * {@link DenseKernels}' float64 dispatch, which sends tiny products to plain loops.
 */
class Float64ProductsTest {
    static Stream<Arguments> cases() {
        List<Float64Products> impls = List.of(AxpyDoubleProducts.INSTANCE,
                Float32Kernels.vector64().orElseThrow(() -> new AssertionError("the Vector API module is not enabled")));
        int[][] shapes = {{1, 1, 1}, {7, 5, 3}, {13, 37, 33}, {5, 31, 17}, {6, 64, 16}, {128, 784, 256}, {128, 128, 10},
            {67, 300, 70}, {250, 33, 70}, {1000, 40, 70}, {32, 5003, 144}, {9, 4100, 16}};
        return impls.stream().flatMap(p -> Stream.of(shapes).map(s -> Arguments.of(p.description(), p, s[0], s[1], s[2])));
    }

    @ParameterizedTest(name = "{0}: n={2} in={3} out={4}")
    @MethodSource("cases")
    void productsMatchPlainSums(String name, Float64Products products, int n, int in, int out) {
        SplittableRandom random = new SplittableRandom(n * 31L + in * 7L + out);
        double[] x = random(random, n * in);
        double[] w = random(random, out * in);
        double[] b = random(random, out);
        double[] d = random(random, n * out);
        double[] z = new double[n * out];
        double[] dw = new double[out * in];
        double[] db = new double[out];
        double[] dx = new double[n * in];
        products.forward(x, w, b, z, n, in, out);
        products.weightGradient(d, x, dw, db, n, in, out);
        products.inputGradient(d, w, dx, n, in, out);
        check("Z", z, n, out, in, (i, o, k) -> x[i * in + k] * w[o * in + k], b);
        check("db", db, 1, out, n, (unused, o, i) -> d[i * out + o], null);
        check("dW", dw, out, in, n, (o, k, i) -> d[i * out + o] * x[i * in + k], null);
        check("dX", dx, n, in, out, (i, k, o) -> d[i * out + o] * w[o * in + k], null);
    }

    @ParameterizedTest(name = "n={0} in={1} out={2}")
    @CsvSource({"32,2,4", "3,9,2", "128,784,256"})
    void denseKernelsDispatchFloat64TensorsToKernelsThatAgree(int n, int in, int out) {
        SplittableRandom random = new SplittableRandom(11);
        Tensor x = tensor(random, n, in);
        Tensor w = tensor(random, out, in);
        Tensor b = tensor(random, 1, out);
        Tensor z = Tensor.zeros(DType.FLOAT64, Shape.of(n, out));
        DenseKernels.forward(x, w, b, true, z);
        double[] xa = ((Float64Tensor) x).data();
        double[] wa = ((Float64Tensor) w).data();
        check("Z", ((Float64Tensor) z).data(), n, out, in, (i, o, k) -> xa[i * in + k] * wa[o * in + k], ((Float64Tensor) b).data());
    }

    @org.junit.jupiter.api.Test
    void portableRowsDoNotDependOnTheBlockOfRowsTheyAreIn() {
        // The portable loops take four rows at a time and the rows left over one by one, with the same
        // rounding: a sample's output (and its input gradient) is the same alone as in a batch of 7,
        // and a unit's weight gradient the same alone as among 7 units. In and out are odd, so the
        // sources left over after the pairs are used too.
        AxpyDoubleProducts products = AxpyDoubleProducts.INSTANCE;
        int n = 7, in = 61, out = 7;
        SplittableRandom random = new SplittableRandom(11);
        double[] x = random(random, n * in);
        double[] w = random(random, out * in);
        double[] b = random(random, out);
        double[] d = random(random, n * out);
        double[] z = new double[n * out];
        products.forward(x, w, b, z, n, in, out);
        double[] dx = new double[n * in];
        products.inputGradient(d, w, dx, n, in, out);
        for (int i = 0; i < n; i++) {
            double[] zAlone = new double[out];
            products.forward(java.util.Arrays.copyOfRange(x, i * in, (i + 1) * in), w, b, zAlone, 1, in, out);
            assertArrayEquals(java.util.Arrays.copyOfRange(z, i * out, (i + 1) * out), zAlone, "forward, sample " + i);
            double[] dxAlone = new double[in];
            products.inputGradient(java.util.Arrays.copyOfRange(d, i * out, (i + 1) * out), w, dxAlone, 1, in, out);
            assertArrayEquals(java.util.Arrays.copyOfRange(dx, i * in, (i + 1) * in), dxAlone, "input gradient, sample " + i);
        }
        double[] dw = new double[out * in];
        double[] db = new double[out];
        products.weightGradient(d, x, dw, db, n, in, out);
        for (int o = 0; o < out; o++) {
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = d[i * out + o];
            }
            double[] dwAlone = new double[in];
            products.weightGradient(column, x, dwAlone, new double[1], n, in, 1);
            assertArrayEquals(java.util.Arrays.copyOfRange(dw, o * in, (o + 1) * in), dwAlone, "weight gradient, unit " + o);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void resultsDoNotDependOnTheSplitAcrossThreads(String name, Float64Products products) throws Exception {
        int n = 1000;
        int in = 784;
        int out = 256;
        SplittableRandom random = new SplittableRandom(5);
        double[] x = random(random, n * in);
        double[] w = random(random, out * in);
        double[] b = random(random, out);
        double[] d = random(random, n * out);
        double[][] split = {new double[n * out], new double[out * in], new double[out], new double[n * in]};
        double[][] single = {new double[n * out], new double[out * in], new double[out], new double[n * in]};
        run(products, x, w, b, d, split, n, in, out);
        Thread alone = new Thread(() -> Parallel.runAlone(() -> run(products, x, w, b, d, single, n, in, out)));
        alone.start();
        alone.join();
        for (int r = 0; r < split.length; r++) {
            assertArrayEquals(split[r], single[r]);
        }
    }

    static Stream<Arguments> implementations() {
        return Stream.of(AxpyDoubleProducts.INSTANCE, Float32Kernels.vector64().orElseThrow())
                .map(p -> Arguments.of(p.description(), p));
    }

    private static void run(Float64Products products, double[] x, double[] w, double[] b, double[] d, double[][] results,
                            int n, int in, int out) {
        products.forward(x, w, b, results[0], n, in, out);
        products.weightGradient(d, x, results[1], results[2], n, in, out);
        products.inputGradient(d, w, results[3], n, in, out);
    }

    /** One term of an output element: element (row, col), term t of its sum. */
    @FunctionalInterface
    interface Term {
        double at(int row, int col, int t);
    }

    /**
     * actual[row·cols + col] against start[col] + Σ terms summed in order; the two orders may differ
     * by rounding, at most about 2·k·ε·Σ|terms| for k terms (ε = 2⁻⁵³).
     */
    private static void check(String name, double[] actual, int rows, int cols, int terms, Term term, double[] start) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double sum = start == null ? 0 : start[c];
                double magnitudes = Math.abs(sum);
                for (int t = 0; t < terms; t++) {
                    sum += term.at(r, c, t);
                    magnitudes += Math.abs(term.at(r, c, t));
                }
                double tolerance = 2 * (terms + 1) * 0x1p-53 * magnitudes + 1e-300;
                double got = actual[r * cols + c];
                assertTrue(Math.abs(sum - got) <= tolerance, name + "[" + r + "][" + c + "]: expected " + sum + ", got "
                        + got + " (tolerance " + tolerance + ")");
            }
        }
    }

    private static double[] random(SplittableRandom random, int size) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = random.nextDouble(-1, 1);
        }
        return a;
    }

    private static Tensor tensor(SplittableRandom random, int rows, int cols) {
        Tensor t = Tensor.zeros(DType.FLOAT64, rows == 1 ? Shape.of(cols) : Shape.of(rows, cols));
        for (int i = 0; i < t.size(); i++) {
            t.set(i, random.nextDouble(-1, 1));
        }
        return t;
    }
}
