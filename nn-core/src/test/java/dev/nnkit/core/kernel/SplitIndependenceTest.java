package dev.nnkit.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every product of every kernel gives the same bits split into 1, 2, 3 or 4 parts (on the calling
 * thread and the workers), at the MLP's shapes and at odd ones: what makes training on one core
 * and on two give identical bytes.
 */
@DisplayName("Products do not depend on how the work is split")
class SplitIndependenceTest {

    static Stream<Arguments> cases() {
        int[][] shapes = {{128, 784, 256}, {128, 256, 128}, {37, 61, 45}, {1000, 300, 70}, {1, 2048, 1031}, {3, 1031, 2048},
            {32, 5003, 144}}; // the last: a wide B read in place
        Object[] kernels = {new AxpyProducts(), Float32Kernels.vector().orElseThrow(), AxpyDoubleProducts.INSTANCE,
            Float32Kernels.vector64().orElseThrow()};
        return Stream.of(kernels).flatMap(k -> Stream.of(shapes).map(s -> Arguments.of(
                (k instanceof Float32Products f ? "float32 " + f.description() : "float64 "
                        + ((Float64Products) k).description()), k, s[0], s[1], s[2])));
    }

    @ParameterizedTest(name = "{0}: n={2} in={3} out={4}")
    @MethodSource("cases")
    @DisplayName("forward, weight gradient and input gradient are bit-identical at 1 to 4 parts")
    void sameBitsAtEverySplit(String name, Object kernels, int n, int in, int out) {
        SplittableRandom r = new SplittableRandom(n * 31L + in);
        double[] x = random(r, n * in);
        double[] w = random(r, out * in);
        double[] b = random(r, out);
        double[] d = random(r, n * out);
        double[][] reference = null;
        for (int parts = 1; parts <= 4; parts++) {
            double[][] results = new double[4][];
            Parallel.runWithParts(parts, () -> {
                double[][] got = kernels instanceof Float32Products f ? float32(f, x, w, b, d, n, in, out)
                        : float64((Float64Products) kernels, x, w, b, d, n, in, out);
                System.arraycopy(got, 0, results, 0, 4);
            });
            if (reference == null) {
                reference = results;
                continue;
            }
            String[] what = {"forward", "weight gradient", "bias gradient", "input gradient"};
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(reference[i], results[i], what[i] + " at " + parts + " parts vs 1");
            }
        }
    }

    private static double[][] float32(Float32Products k, double[] x, double[] w, double[] b, double[] d,
                                      int n, int in, int out) {
        float[] z = new float[n * out];
        float[] dw = new float[out * in];
        float[] db = new float[out];
        float[] dx = new float[n * in];
        k.forward(f(x), f(w), f(b), z, n, in, out);
        k.weightGradient(f(d), f(x), dw, db, n, in, out);
        k.inputGradient(f(d), f(w), dx, n, in, out);
        return new double[][] {d(z), d(dw), d(db), d(dx)};
    }

    private static double[][] float64(Float64Products k, double[] x, double[] w, double[] b, double[] d,
                                      int n, int in, int out) {
        double[] z = new double[n * out];
        double[] dw = new double[out * in];
        double[] db = new double[out];
        double[] dx = new double[n * in];
        k.forward(x, w, b, z, n, in, out);
        k.weightGradient(d, x, dw, db, n, in, out);
        k.inputGradient(d, w, dx, n, in, out);
        return new double[][] {z, dw, db, dx};
    }

    private static float[] f(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static double[] d(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static double[] random(SplittableRandom r, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }
}
