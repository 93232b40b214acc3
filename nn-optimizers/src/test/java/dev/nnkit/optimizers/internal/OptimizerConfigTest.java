package dev.nnkit.optimizers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.StepContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.optimizers.AdamConfig;
import dev.nnkit.optimizers.SgdConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Optimizers")
class OptimizerConfigTest {
    @Test
    @DisplayName("default to PyTorch's settings")
    void defaults() {
        assertThat(new OptimizerProviders.Adam().defaultConfig()).isEqualTo(new AdamConfig(1e-3, 0.9, 0.999, 1e-8, 0, false));
        assertThat(new OptimizerProviders.Sgd().defaultConfig()).isEqualTo(new SgdConfig(1e-3, 0, 0, 0, false));
    }

    @Test
    @DisplayName("reject bad hyperparameters, naming the setting and the value")
    void rejects() {
        assertThatThrownBy(() -> AdamConfig.of(-1)).hasMessage("learningRate must be finite and > 0; got -1.0.");
        assertThatThrownBy(() -> new AdamConfig(1e-3, 1.0, 0.999, 1e-8, 0, false)).hasMessage("beta1 must be in [0, 1); got 1.0.");
        assertThatThrownBy(() -> new SgdConfig(0.1, 0, 0, 0, true))
                .hasMessage("nesterov needs momentum > 0 and dampening = 0; got momentum 0.0, dampening 0.0.");
    }

    @Test
    @DisplayName("Adam's first step moves each weight by lr·sign(g)")
    void adamFirstStep() {
        Optimizer adam = new OptimizerProviders.Adam().create(AdamConfig.of(0.1));
        Tensor theta = Tensor.of(DType.FLOAT64, Shape.of(3), 1, 2, 3);
        Tensor g = Tensor.of(DType.FLOAT64, Shape.of(3), 0.5, -4, 1e-3);
        Map<String, Tensor> slots = new HashMap<>();
        for (String s : adam.stateSlots()) {
            slots.put(s, Tensor.zeros(DType.FLOAT64, Shape.of(3)));
        }
        adam.update(theta, g, slots::get, new StepContext(1, 0.1));
        assertThat(theta.toDoubleArray()).containsExactly(new double[] {0.9, 2.1, 2.9}, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    @DisplayName("SGD with momentum keeps a momentum_buffer slot; plain SGD keeps none")
    void sgdSlots() {
        assertThat(new OptimizerProviders.Sgd().create(SgdConfig.of(0.1)).stateSlots()).isEmpty();
        assertThat(new OptimizerProviders.Sgd().create(new SgdConfig(0.1, 0.9, 0, 0, false)).stateSlots())
                .containsExactly("momentum_buffer");
    }
}
