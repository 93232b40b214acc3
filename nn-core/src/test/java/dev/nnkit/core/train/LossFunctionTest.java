package dev.nnkit.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * LossFunction's reduction, weights, per-sample losses and gradient scaling, written out by hand,
 * for one output column (its own fast path) and for several, in float32 and float64: the engine's
 * part of every loss, which the plugin kit's loss contract leaves to this test.
 */
class LossFunctionTest {
    /** ℓ = Σⱼ (pⱼ − y)² / 3 + y, ∂ℓ/∂pⱼ = 2(pⱼ − y)/3: every input matters; a negative target is refused. */
    private static final Loss LOSS = new Loss() {
        @Override
        public double sampleLoss(double[] p, double[] y, double[] g) {
            if (y[0] < 0) {
                throw new IllegalArgumentException("negative target " + y[0]);
            }
            double s = y[0];
            for (int j = 0; j < p.length; j++) {
                s += (p[j] - y[0]) * (p[j] - y[0]) / 3;
                g[j] = 2 * (p[j] - y[0]) / 3;
            }
            return s;
        }

        @Override
        public int targetWidth(int outputs) {
            return 1;
        }
    };

    @ParameterizedTest(name = "{0} outputs, {1}, weighted {2}, {3}")
    @CsvSource({"1,MEAN,false,FLOAT32", "1,SUM,true,FLOAT32", "1,NONE,true,FLOAT32", "3,MEAN,true,FLOAT32",
        "3,SUM,false,FLOAT32", "1,MEAN,true,FLOAT32", "1,MEAN,true,FLOAT64", "3,SUM,true,FLOAT64", "3,NONE,false,FLOAT64"})
    void reducesWeightsAndScalesAsWrittenOut(int k, Reduction reduction, boolean weighted, DType dtype) {
        int n = 5;
        Tensor p = Tensor.zeros(dtype, Shape.of(n, k));
        Tensor y = Tensor.zeros(dtype, Shape.of(n, 1));
        for (int i = 0; i < n * k; i++) {
            p.set(i, 0.1 * i - 0.3);
        }
        for (int r = 0; r < n; r++) {
            y.set(r, 0.25 * r);
        }
        double[] weights = weighted ? new double[] {1, 2, 0, 0.5, 3} : new double[0];
        Tensor gradient = Tensor.zeros(dtype, Shape.of(n, k));
        double[] perSample = new double[n];
        double c = new LossFunction(LOSS, reduction).evaluate(p, y, weights, gradient, perSample);

        double scale = reduction == Reduction.MEAN ? 1.0 / n : 1.0;
        double sum = 0;
        for (int r = 0; r < n; r++) {
            double w = weighted ? weights[r] : 1;
            double[] row = new double[k];
            double[] g = new double[k];
            for (int j = 0; j < k; j++) {
                row[j] = p.get(r * k + j);
            }
            double l = LOSS.sampleLoss(row, new double[] {y.get(r)}, g);
            assertEquals(w * l, perSample[r], 0, "per-sample loss of row " + r);
            sum += w * l;
            for (int j = 0; j < k; j++) {
                double expected = g[j] * w * scale;
                assertEquals(dtype == DType.FLOAT32 ? (float) expected : expected, gradient.get(r * k + j), 0,
                        "gradient [" + r + "][" + j + "]");
            }
        }
        assertEquals(sum * scale, c, 0);
    }

    @ParameterizedTest(name = "{0} outputs")
    @CsvSource({"1", "3"})
    void aRefusedSampleIsNamedByItsRow(int k) {
        Tensor p = Tensor.zeros(DType.FLOAT32, Shape.of(4, k));
        Tensor y = Tensor.zeros(DType.FLOAT32, Shape.of(4, 1));
        y.set(2, -1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LossFunction(LOSS, Reduction.MEAN)
                .evaluate(p, y, Tensor.zeros(DType.FLOAT32, Shape.of(4, k)), new double[0]));
        assertEquals("Row 2 of the batch: negative target -1.0", e.getMessage());
    }
}
