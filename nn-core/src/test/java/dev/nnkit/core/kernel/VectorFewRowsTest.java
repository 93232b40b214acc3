package dev.nnkit.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A one-row forward pass sums each output in the order its class comment gives (checked against
 * that order written out in scalars), and gives the same bits whether it is computed in a pair or alone.
 */
class VectorFewRowsTest {
    private static final int L = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();

    @ParameterizedTest(name = "in = {0}")
    @ValueSource(ints = {1, 15, 37, 64, 784, 2049})
    void sumsInTheDocumentedOrder(int in) {
        SplittableRandom r = new SplittableRandom(in + 1);
        int out = 5;
        float[] x = random(r, in);
        float[] w = random(r, out * in);
        float[] b = random(r, out);
        float[] z = new float[out];
        VectorFewRows.dot(x, 0, w, b, z, 0, in, out);
        for (int o = 0; o < out; o++) {
            assertThat(Float.floatToRawIntBits(z[o])).as("output %d", o)
                    .isEqualTo(Float.floatToRawIntBits(documentedOrder(x, w, o * in, in) + b[o]));
        }
    }

    /**
     * Four accumulators of L lanes over k (FMA), the first alone over the remaining whole vectors,
     * added as (a0 + a1) + (a2 + a3); the lanes then rotated and added (by L/2, L/4, … 1); lane 0,
     * then the tail in k order with FMA.
     */
    private static float documentedOrder(float[] x, float[] w, int w0, int n) {
        float[][] acc = new float[4][L];
        int kk = 0;
        for (; kk + 4 * L <= n; kk += 4 * L) {
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < L; l++) {
                    acc[j][l] = Math.fma(x[kk + j * L + l], w[w0 + kk + j * L + l], acc[j][l]);
                }
            }
        }
        for (; kk + L <= n; kk += L) {
            for (int l = 0; l < L; l++) {
                acc[0][l] = Math.fma(x[kk + l], w[w0 + kk + l], acc[0][l]);
            }
        }
        float[] s = new float[L];
        for (int l = 0; l < L; l++) {
            s[l] = (acc[0][l] + acc[1][l]) + (acc[2][l] + acc[3][l]);
        }
        for (int shift = L / 2; shift >= 1; shift /= 2) {
            float[] rotated = new float[L];
            for (int l = 0; l < L; l++) {
                rotated[l] = s[l] + s[(l + shift) % L];
            }
            s = rotated;
        }
        float sum = s[0];
        for (; kk < n; kk++) {
            sum = Math.fma(x[kk], w[w0 + kk], sum);
        }
        return sum;
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    @ParameterizedTest(name = "in = {0}")
    @ValueSource(ints = {1, 15, 37, 64, 784, 2049})
    void pairsSumLikeSingleRows(int in) {
        SplittableRandom r = new SplittableRandom(in);
        int out = 9; // four pairs and one output alone
        float[] x = new float[in];
        float[] w = new float[out * in];
        float[] b = new float[out];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble(-1, 1);
        }
        float[] together = new float[out];
        VectorFewRows.dot(x, 0, w, b, together, 0, in, out);
        for (int o = 0; o < out; o++) {
            float[] alone = new float[1];
            VectorFewRows.dot(x, 0, java.util.Arrays.copyOfRange(w, o * in, (o + 1) * in), new float[] {b[o]}, alone, 0, in, 1);
            assertThat(Float.floatToRawIntBits(together[o])).as("output %d", o).isEqualTo(Float.floatToRawIntBits(alone[0]));
        }
    }
}
