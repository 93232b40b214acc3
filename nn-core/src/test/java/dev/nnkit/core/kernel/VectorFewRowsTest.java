package dev.nnkit.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A one-row forward pass gives each output the same bits whether it is computed in a pair or alone. */
class VectorFewRowsTest {
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
