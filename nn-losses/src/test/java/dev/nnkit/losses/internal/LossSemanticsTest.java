package dev.nnkit.losses.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.plugin.NoConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Loss semantics")
class LossSemanticsTest {
    static double value(SettinglessLossProvider p, double[] pred, double[] target) {
        return p.create(NoConfig.INSTANCE).sampleLoss(pred, target, new double[pred.length]);
    }

    @Test
    @DisplayName("mse averages over outputs; half-sse is half the sum")
    void squaredErrors() {
        double[] p = {1, 2};
        double[] y = {0, 4};
        assertThat(value(new RegressionLosses.MeanSquaredError(), p, y)).isEqualTo(2.5);
        assertThat(value(new RegressionLosses.HalfSumSquaredError(), p, y)).isEqualTo(2.5);
        assertThat(value(new RegressionLosses.MeanSquaredError(), new double[] {3}, new double[] {1})).isEqualTo(4);
    }

    @Test
    @DisplayName("cross-entropy from logits equals cross-entropy of the softmax, and stays finite for huge logits")
    void logitsMatchProbabilities() {
        double[] z = {1, -2, 0.5};
        double[] soft = new double[3];
        CategoricalLosses.softmaxInto(z, soft);
        double[] y = {0, 0, 1};
        assertThat(value(new CategoricalLosses.FromLogits(), z, y))
                .isCloseTo(value(new CategoricalLosses.FromProbabilities(), soft, y), offset(1e-12));
        assertThat(value(new CategoricalLosses.FromLogits(), new double[] {1000, -1000, 0}, y)).isCloseTo(1000, offset(1e-9));
        assertThat(value(new BinaryLosses.FromLogits(), new double[] {-800}, new double[] {1})).isCloseTo(800, offset(1e-9));
    }

    @Test
    @DisplayName("binary cross-entropy caps a confident wrong answer at 100, as PyTorch does")
    void bceClamp() {
        assertThat(value(new BinaryLosses.FromProbabilities(), new double[] {0}, new double[] {1})).isEqualTo(100);
    }

    @Test
    @DisplayName("rejects a class index outside the outputs, and binary targets outside [0, 1]")
    void badTargets() {
        Loss sparse = new CategoricalLosses.SparseFromLogits().create(NoConfig.INSTANCE);
        assertThatThrownBy(() -> sparse.sampleLoss(new double[3], new double[] {3}, new double[3]))
                .hasMessage("Class index 3.0 is not a whole number in [0, 3). Sparse targets hold one class index per row;"
                        + " the network has 3 outputs.");
        assertThatThrownBy(() -> value(new BinaryLosses.FromLogits(), new double[] {0}, new double[] {2}))
                .hasMessageContaining("needs targets in [0, 1]; got 2.0");
    }

    @Test
    @DisplayName("losses from logits ask for their activation at prediction time")
    void predictionActivation() {
        assertThat(new CategoricalLosses.FromLogits().create(NoConfig.INSTANCE).predictionActivation()).isEqualTo("softmax");
        assertThat(new BinaryLosses.FromLogits().create(NoConfig.INSTANCE).predictionActivation()).isEqualTo("sigmoid");
        assertThat(new RegressionLosses.MeanSquaredError().create(NoConfig.INSTANCE).predictionActivation()).isEqualTo("identity");
    }
}
