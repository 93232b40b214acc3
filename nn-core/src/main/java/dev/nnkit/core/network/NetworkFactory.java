package dev.nnkit.core.network;

import dev.nnkit.api.init.Initializer;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.layer.LayerShapes;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomPlan;
import dev.nnkit.core.random.RandomStreams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
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
        return build(spec, plan.initialization(), plan::stages);
    }

    /**
     * Builds the network with initial weights from {@code init}, and stage streams of seed 0 (for
     * a network whose weights are loaded next).
     */
    public Network build(NetworkSpec spec, RandomGenerator init) {
        return build(spec, init, () -> new RandomPlan(0, spec.stages().size()).stages());
    }

    /**
     * The network's sizes without building it, from each layer provider's
     * {@link LayerProvider#shapes}; empty when a layer's provider does not say.
     *
     * @throws StageException as {@link #build} would, when a stage cannot take its input
     */
    public Optional<NetworkPlan> plan(NetworkSpec spec) {
        Map<String, Shape> parameters = new LinkedHashMap<>();
        Map<String, Shape> buffers = new LinkedHashMap<>();
        long activations = 0;
        Shape shape = spec.inputShape();
        for (int i = 0; i < spec.stages().size(); i++) {
            PluginSpec s = spec.stages().get(i);
            try {
                if (registry.hasActivation(s.type())) {
                    shape = new ActivationLayer(registry.activation(s), shape).outputShape();
                } else {
                    Optional<LayerShapes> shapes = shapes(registry.layer(s.type()), s, shape);
                    if (shapes.isEmpty()) {
                        return Optional.empty();
                    }
                    for (Map.Entry<String, Shape> p : shapes.get().parameters().entrySet()) {
                        parameters.put(i + "." + p.getKey(), p.getValue());
                    }
                    for (Map.Entry<String, Shape> b : shapes.get().buffers().entrySet()) {
                        buffers.put(i + "." + b.getKey(), b.getValue());
                    }
                    shape = shapes.get().output();
                }
            } catch (IllegalArgumentException e) {
                throw new StageException(i, "Stage " + i + " ('" + s.type() + "', receiving samples of shape "
                        + shape + "): " + e.getMessage(), e);
            }
            activations += shape.size();
        }
        return Optional.of(new NetworkPlan(parameters, buffers, activations, shape));
    }

    private static <C extends Record> Optional<LayerShapes> shapes(LayerProvider<C> p, PluginSpec s, Shape input) {
        return p.shapes(ConfigBinder.bind(p, s.params()), input);
    }

    private Network build(NetworkSpec spec, RandomGenerator init, Supplier<List<RandomStreams.Stream>> stageRandom) {
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
            if (!registry.hasActivation(s.type())) {
                checkShapes(i, s, registry.layer(s.type()), shape, layer);
            }
            stages.add(new Stage(s, layer));
            shape = layer.outputShape();
        }
        return new Network(spec.inputShape(), spec.dtype(), stages, stageRandom);
    }

    /** A provider that says its shapes must build exactly them: model files are checked against what it says. */
    private static void checkShapes(int i, PluginSpec s, LayerProvider<?> provider, Shape input, Layer layer) {
        Optional<LayerShapes> said = shapes(provider, s, input);
        if (said.isEmpty()) {
            return;
        }
        Map<String, Shape> parameters = new LinkedHashMap<>();
        for (Parameter p : layer.parameters()) {
            parameters.put(p.name(), p.value().shape());
        }
        Map<String, Shape> buffers = new LinkedHashMap<>();
        for (var b : layer.buffers()) {
            buffers.put(b.name(), b.value().shape());
        }
        LayerShapes built = new LayerShapes(layer.outputShape(), parameters, buffers);
        // Compared part by part: a record's generated equals bootstraps a method handle on first
        // use, about 30 ms of loading a model in a fresh JVM.
        if (!built.output().equals(said.get().output()) || !built.parameters().equals(said.get().parameters())
                || !built.buffers().equals(said.get().buffers())) {
            throw new IllegalStateException("Layer plugin '" + s.type() + "' (stage " + i + ") says its shapes are "
                    + said.get() + " but built " + built + ": its provider's shapes() and create() disagree.");
        }
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
