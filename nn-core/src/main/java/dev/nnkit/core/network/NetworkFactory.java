package dev.nnkit.core.network;

import dev.nnkit.api.init.Initializer;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomPlan;
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
     * Builds the network with the random streams of {@code plan}: initial weights drawn from its
     * initialization stream stage by stage in order, and each stage's own stream for training.
     *
     * @throws StageException naming the stage, the shape it receives and the problem when a stage
     *     cannot be built
     */
    public Network build(NetworkSpec spec, RandomPlan plan) {
        return build(spec, plan.initialization(), plan);
    }

    /**
     * Builds the network with initial weights from {@code init}, and stage streams of seed 0 (for
     * a network whose weights are loaded next).
     */
    public Network build(NetworkSpec spec, RandomGenerator init) {
        return build(spec, init, new RandomPlan(0, spec.stages().size()));
    }

    private Network build(NetworkSpec spec, RandomGenerator init, RandomPlan plan) {
        List<Stage> stages = new ArrayList<>();
        Shape shape = spec.inputShape();
        for (int i = 0; i < spec.stages().size(); i++) {
            PluginSpec s = spec.stages().get(i);
            Layer layer;
            try {
                layer = registry.hasActivation(s.type())
                        ? new ActivationLayer(registry.activation(s), shape)
                        : create(registry.layer(s.type()), s, new Context(shape, spec.dtype(), init));
            } catch (IllegalArgumentException e) {
                throw new StageException(i, "Stage " + i + " ('" + s.type() + "', receiving samples of shape "
                        + shape + "): " + e.getMessage(), e);
            }
            stages.add(new Stage(s, layer));
            shape = layer.outputShape();
        }
        return new Network(spec.inputShape(), spec.dtype(), stages, plan.stages());
    }

    private static <C extends Record> Layer create(LayerProvider<C> p, PluginSpec s, LayerContext ctx) {
        return p.create(ConfigBinder.bind(p, s.params()), ctx);
    }

    private final class Context implements LayerContext {
        private final Shape inputShape;
        private final DType dtype;
        private final RandomGenerator random;

        Context(Shape inputShape, DType dtype, RandomGenerator random) {
            this.inputShape = inputShape;
            this.dtype = dtype;
            this.random = random;
        }

        @Override
        public Shape inputShape() {
            return inputShape;
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
