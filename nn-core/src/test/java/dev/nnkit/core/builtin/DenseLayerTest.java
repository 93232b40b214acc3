package dev.nnkit.core.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.config.DenseConfig;
import dev.nnkit.tck.LayerContract;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DenseLayerTest extends LayerContract {
    @Override
    protected Layer layer(LayerContext context) {
        return new DenseLayerProvider().create(DenseConfig.of(4), context);
    }

    @Nested
    @DisplayName("without bias")
    class WithoutBias extends LayerContract {
        @Override
        protected Layer layer(LayerContext context) {
            return new DenseLayerProvider().create(new DenseConfig(2, false, "glorot-uniform"), context);
        }

        @Test
        @DisplayName("has only a weight parameter")
        void onlyWeight() {
            Layer l = layer(context(Shape.of(3), DType.FLOAT64, 1));
            assertThat(l.parameters()).extracting(p -> p.name()).containsExactly("weight");
        }
    }

    @Test
    @DisplayName("computes z = W·x + b for each row, W stored [units × inputs] as in nn.Linear")
    void forwardByHand() {
        Layer l = layer(context(Shape.of(3), DType.FLOAT64, 1));
        Tensor w = l.parameters().get(0).value();
        Tensor b = l.parameters().get(1).value();
        assertThat(w.shape()).isEqualTo(Shape.of(4, 3));
        for (int i = 0; i < 4; i++) {
            b.set(i, 0.5 * i);
        }
        Tensor x = Tensor.matrix(DType.FLOAT64, new double[][] {{1, 2, 3}, {-1, 0, 0.5}});
        Tensor z = Tensor.zeros(DType.FLOAT64, Shape.of(2, 4));
        l.forward(x, z, passContext(Mode.INFERENCE, DType.FLOAT64, 1));
        for (int r = 0; r < 2; r++) {
            for (int o = 0; o < 4; o++) {
                double expected = b.get(o);
                for (int k = 0; k < 3; k++) {
                    expected += w.get(o, k) * x.get(r, k);
                }
                assertThat(z.get(r, o)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-15));
            }
        }
    }

    @Test
    @DisplayName("rejects a units setting below 1 with the value in the message")
    void rejectsZeroUnits() {
        assertThatThrownBy(() -> new DenseConfig(0, true, "glorot-uniform"))
                .hasMessageContaining("units must be at least 1; got 0");
    }
}
