package dev.nnkit.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("flatten")
class FlattenTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();

    private static Network build(NetworkSpec spec) {
        return new NetworkFactory(REGISTRY).build(spec, new SplittableRandom(3));
    }

    private static Tensor random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble(-2, 2));
        }
        return t;
    }

    @Test
    @DisplayName("lets a row-wise stage follow image-shaped samples, as a view: nothing is copied")
    void viewAfterImageShapes() {
        NetworkSpec without = NetworkSpec.builder(Shape.of(2, 3)).activation("tanh").activation("softmax").build();
        assertThatThrownBy(() -> build(without)).isInstanceOf(StageException.class)
                .hasMessageContaining("Stage 1 ('softmax', receiving samples of shape [2, 3])");
        Network net = build(NetworkSpec.builder(Shape.of(2, 3)).activation("tanh").stage(PluginSpec.of("flatten"))
                .activation("softmax").build());
        assertThat(net.stages().get(1).layer().outputShape()).isEqualTo(Shape.of(6));
        Tensor out = net.forward(random(Shape.of(5, 2, 3), 1));
        assertThat(out.shape()).isEqualTo(Shape.of(5, 6));
        assertThat(((Float32Tensor) net.stageOutput(1)).data()).as("flatten's output is its input's storage")
                .isSameAs(((Float32Tensor) net.stageOutput(0)).data());
        net.backward(random(Shape.of(5, 6), 2));
        assertThat(((Float32Tensor) net.stageOutputGradient(0)).data()).as("and so is the gradient it hands back")
                .isSameAs(((Float32Tensor) net.stageOutputGradient(1)).data());
    }

    @Test
    @DisplayName("changes no value: a network with it trains exactly as the same network on flat samples")
    void sameGradientsAsFlatSamples() {
        Network flat = build(NetworkSpec.builder(12).activation("tanh").dense(4).activation("sigmoid").dense(2).build());
        Network shaped = build(NetworkSpec.builder(Shape.of(3, 2, 2)).activation("tanh").stage(PluginSpec.of("flatten"))
                .dense(4).activation("sigmoid").dense(2).build());
        for (int i = 0; i < flat.parameters().size(); i++) {
            shaped.parameters().get(i).parameter().value().copyFrom(flat.parameters().get(i).parameter().value());
        }
        Tensor x = random(Shape.of(7, 3, 2, 2), 4);
        Tensor g = random(Shape.of(7, 2), 5);
        assertThat(shaped.forward(x).toDoubleArray()).containsExactly(flat.forward(x.reshape(Shape.of(7, 12)))
                .toDoubleArray());
        flat.backward(g);
        shaped.backward(g);
        for (int i = 0; i < flat.parameters().size(); i++) {
            assertThat(shaped.parameters().get(i).parameter().gradient().toDoubleArray())
                    .as(flat.parameters().get(i).name()).containsExactly(flat.parameters().get(i).parameter()
                            .gradient().toDoubleArray());
        }
        assertThat(shaped.parameters().get(0).name()).as("state_dict index counts the flatten module").isEqualTo("2.weight");
    }
}
