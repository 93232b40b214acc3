package dev.nnkit.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Float64Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The float64 kernels against straightforward sums, at shapes that hit the edges of the blocking
 * and the MLP's shapes (split across threads), and through {@link DenseKernels}, which sends tiny
 * products to plain loops and the rest to {@link AxpyDoubleProducts}.
 */
class Float64ProductsTest {
    @ParameterizedTest(name = "n={0} in={1} out={2}")
    @CsvSource({"1,1,1", "7,5,3", "13,37,33", "5,31,17", "128,784,256", "128,128,10", "67,300,70", "1000,40,70", "32,2,4"})
    void productsMatchPlainSums(int n, int in, int out) {
        SplittableRandom random = new SplittableRandom(n * 31L + in * 7L + out);
        Tensor x = random(random, n, in);
        Tensor w = random(random, out, in);
        Tensor b = random(random, 1, out);
        Tensor d = random(random, n, out);
        Tensor z = Tensor.zeros(DType.FLOAT64, Shape.of(n, out));
        Tensor dw = Tensor.zeros(DType.FLOAT64, Shape.of(out, in));
        Tensor db = Tensor.zeros(DType.FLOAT64, Shape.of(out));
        Tensor dx = Tensor.zeros(DType.FLOAT64, Shape.of(n, in));
        DenseKernels.forward(x, w, b, true, z);
        DenseKernels.weightGradient(d, x, dw, db, true);
        DenseKernels.inputGradient(d, w, dx);
        check("Z", z, n, out, in, (i, o, k) -> x.get(i * in + k) * w.get(o * in + k), b);
        check("db", db, 1, out, n, (unused, o, i) -> d.get(i * out + o), null);
        check("dW", dw, out, in, n, (o, k, i) -> d.get(i * out + o) * x.get(i * in + k), null);
        check("dX", dx, n, in, out, (i, k, o) -> d.get(i * out + o) * w.get(o * in + k), null);
    }

    @Test
    void resultsDoNotDependOnTheSplitAcrossThreads() throws Exception {
        int n = 1000;
        int in = 784;
        int out = 256;
        SplittableRandom random = new SplittableRandom(5);
        double[] x = ((Float64Tensor) random(random, n, in)).data();
        double[] w = ((Float64Tensor) random(random, out, in)).data();
        double[] b = ((Float64Tensor) random(random, 1, out)).data();
        double[] d = ((Float64Tensor) random(random, n, out)).data();
        double[][] split = {new double[n * out], new double[out * in], new double[out], new double[n * in]};
        double[][] single = {new double[n * out], new double[out * in], new double[out], new double[n * in]};
        run(x, w, b, d, split, n, in, out);
        Thread alone = new Thread(() -> Parallel.runAlone(() -> run(x, w, b, d, single, n, in, out)));
        alone.start();
        alone.join();
        for (int r = 0; r < split.length; r++) {
            assertArrayEquals(split[r], single[r]);
        }
    }

    private static void run(double[] x, double[] w, double[] b, double[] d, double[][] results, int n, int in, int out) {
        AxpyDoubleProducts.INSTANCE.forward(x, w, b, results[0], n, in, out);
        AxpyDoubleProducts.INSTANCE.weightGradient(d, x, results[1], results[2], n, in, out);
        AxpyDoubleProducts.INSTANCE.inputGradient(d, w, results[3], n, in, out);
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
    private static void check(String name, Tensor actual, int rows, int cols, int terms, Term term, Tensor start) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double sum = start == null ? 0 : start.get(c);
                double magnitudes = Math.abs(sum);
                for (int t = 0; t < terms; t++) {
                    sum += term.at(r, c, t);
                    magnitudes += Math.abs(term.at(r, c, t));
                }
                double tolerance = 2 * (terms + 1) * 0x1p-53 * magnitudes + 1e-300;
                double got = actual.get(r * cols + c);
                assertTrue(Math.abs(sum - got) <= tolerance, name + "[" + r + "][" + c + "]: expected " + sum + ", got "
                        + got + " (tolerance " + tolerance + ")");
            }
        }
    }

    private static Tensor random(SplittableRandom random, int rows, int cols) {
        Tensor t = Tensor.zeros(DType.FLOAT64, rows == 1 ? Shape.of(cols) : Shape.of(rows, cols));
        for (int i = 0; i < t.size(); i++) {
            t.set(i, random.nextDouble(-1, 1));
        }
        return t;
    }
}
