package dev.nnkit.core.network;

import dev.nnkit.api.init.Initializer;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Builds a {@link Network} from its spec with the plugins of a registry. */
public final class NetworkFactory {
    private final PluginRegistry registry;

    public NetworkFactory(PluginRegistry registry) {
        this.registry = registry;
    }

    /**
     * Builds the network, drawing initial weights from {@code random} stage by stage in order, so
     * the same seed gives the same weights.
     *
     * @throws IllegalArgumentException naming the stage index when a stage cannot be built
     */
    public Network build(NetworkSpec spec, RandomGenerator random) {
        List<Stage> stages = new ArrayList<>();
        int width = spec.inputs();
        for (int i = 0; i < spec.stages().size(); i++) {
            PluginSpec s = spec.stages().get(i);
            Layer layer;
            try {
                layer = registry.hasActivation(s.type())
                        ? new ActivationLayer(registry.activation(s), width)
                        : create(registry.layer(s.type()), s, new Context(width, spec.dtype(), random));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Stage " + i + " ('" + s.type() + "'): " + e.getMessage(), e);
            }
            stages.add(new Stage(s, layer));
            width = layer.outputSize();
        }
        return new Network(spec.inputs(), spec.dtype(), stages);
    }

    private static <C extends Record> Layer create(LayerProvider<C> p, PluginSpec s, LayerContext ctx) {
        return p.create(ConfigBinder.bind(p, s.params()), ctx);
    }

    private final class Context implements LayerContext {
        private final int inputSize;
        private final DType dtype;
        private final RandomGenerator random;

        Context(int inputSize, DType dtype, RandomGenerator random) {
            this.inputSize = inputSize;
            this.dtype = dtype;
            this.random = random;
        }

        @Override
        public int inputSize() {
            return inputSize;
        }

        @Override
        public DType dtype() {
            return dtype;
        }

        @Override
        public RandomGenerator random() {
            return random;
        }

        @Override
        public Initializer initializer(String id) {
            return registry.initializer(PluginSpec.of(id));
        }
    }
}
