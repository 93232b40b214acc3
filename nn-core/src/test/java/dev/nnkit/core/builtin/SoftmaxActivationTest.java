package dev.nnkit.core.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.tck.ActivationContract;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SoftmaxActivationTest extends ActivationContract {
    @Override
    protected ActivationProvider<?> provider() {
        return new ActivationProviders.Softmax();
    }

    @Test
    void float32RowsAreTheDoubleFormulaRoundedOnce() {
        // The float32 loop computes each exp once; its values must be exactly those of
        // exp(z - max) / Σ exp(z - max) in double, rounded to float.
        SplittableRandom random = new SplittableRandom(11);
        int rows = 50;
        int cols = 10;
        Tensor z = Tensor.zeros(DType.FLOAT32, Shape.of(rows, cols));
        for (int i = 0; i < z.size(); i++) {
            z.set(i, random.nextDouble(-60, 60));
        }
        Tensor a = Tensor.zeros(DType.FLOAT32, Shape.of(rows, cols));
        Activations.SOFTMAX.forward(z, a);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, z.get(r * cols + c));
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(z.get(r * cols + c) - max);
            }
            for (int c = 0; c < cols; c++) {
                float expected = (float) (Math.exp(z.get(r * cols + c) - max) / sum);
                assertEquals(expected, (float) a.get(r * cols + c), 0f, "row " + r + ", column " + c);
            }
        }
    }
}
