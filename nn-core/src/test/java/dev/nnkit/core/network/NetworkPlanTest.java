package dev.nnkit.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.layer.LayerShapes;
import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.builtin.DenseLayerProvider;
import dev.nnkit.core.config.DenseConfig;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Network plan")
class NetworkPlanTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();

    @Test
    @DisplayName("says every parameter's name and shape and the output, as the built network has them, without building it")
    void planIsWhatIsBuilt() {
        NetworkSpec spec = NetworkSpec.builder(Shape.of(1, 4, 4)).stage(PluginSpec.of("flatten")).dense(5)
                .activation("relu").stage(PluginSpec.of("dense", "units", 3, "bias", false)).build();
        NetworkPlan plan = new NetworkFactory(REGISTRY).plan(spec).orElseThrow();
        Network built = new NetworkFactory(REGISTRY).build(spec, new SplittableRandom(1));
        Map<String, Shape> parameters = new LinkedHashMap<>();
        built.parameters().forEach(p -> parameters.put(p.name(), p.parameter().value().shape()));
        assertThat(plan.parameters()).containsExactlyEntriesOf(parameters)
                .containsOnlyKeys("1.weight", "1.bias", "3.weight");
        assertThat(plan.output()).isEqualTo(built.outputShape());
        assertThat(plan.parameterValues()).isEqualTo(5 * 16 + 5 + 3 * 5);
        assertThat(plan.activations()).isEqualTo(16 + 5 + 5 + 3);
    }

    @Test
    @DisplayName("plans a layer of 10^9 units on 2 inputs without allocating it, and refuses one no array can hold")
    void hugeLayers() {
        NetworkFactory f = new NetworkFactory(REGISTRY);
        NetworkPlan plan = f.plan(NetworkSpec.builder(2).dense(1_000_000_000).build()).orElseThrow();
        assertThat(plan.parameterValues()).isEqualTo(3_000_000_000L);
        assertThatThrownBy(() -> f.plan(NetworkSpec.builder(13).dense(1_000_000_000).build()))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("1000000000 units × 13 inputs = 13000000000 values is more than a Java array holds");
    }

    /** A dense layer whose provider misstates its weight's shape. */
    static final class LyingDenseProvider implements LayerProvider<DenseConfig> {
        private final DenseLayerProvider real = new DenseLayerProvider();

        @Override public String id() { return "lying-dense"; }
        @Override public Class<DenseConfig> configType() { return DenseConfig.class; }
        @Override public DenseConfig defaultConfig() { return real.defaultConfig(); }
        @Override public Set<String> requiredKeys() { return real.requiredKeys(); }
        @Override public int spiVersion() { return SPI_VERSION; }
        @Override public Layer create(DenseConfig config, LayerContext context) { return real.create(config, context); }

        @Override
        public Optional<LayerShapes> shapes(DenseConfig config, Shape inputShape) {
            return Optional.of(new LayerShapes(Shape.of(config.units()), Map.of("weight", Shape.of(1, 1),
                    "bias", Shape.of(config.units())), Map.of()));
        }
    }

    @Test
    @DisplayName("a provider whose shapes() disagree with what create() builds is caught at build")
    void lyingProviderCaught() {
        List<PluginProvider<?, ?>> all = new ArrayList<>();
        REGISTRY.plugins().forEach(i -> all.add(REGISTRY.provider(i.kind(), i.id())));
        all.add(new LyingDenseProvider());
        PluginRegistry registry = PluginRegistry.of(all);
        NetworkSpec spec = NetworkSpec.builder(2).stage(PluginSpec.of("lying-dense", "units", 3)).build();
        assertThatThrownBy(() -> new NetworkFactory(registry).build(spec, new SplittableRandom(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Layer plugin 'lying-dense' (stage 0)").hasMessageContaining("disagree");
    }
}
