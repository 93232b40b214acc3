package dev.nnkit.onnx;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.model.Model;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Networks with every weight and buffer drawn at random, so no term of the graph can hide behind a zero. */
final class Models {
    static final PluginRegistry REGISTRY = PluginRegistry.discover();

    private Models() {
    }

    static Network network(NetworkSpec spec, long seed) {
        Network n = new NetworkFactory(REGISTRY).build(spec, new SplittableRandom(seed));
        SplittableRandom r = new SplittableRandom(seed + 1);
        n.parameters().forEach(p -> fill(p.parameter().value(), r, -0.8, 0.8));
        n.buffers().forEach(b -> fill(b.buffer().value(), r, b.name().endsWith("running_var") ? 0.3 : -0.5, 1.5));
        return n;
    }

    private static void fill(Tensor t, SplittableRandom r, double from, double to) {
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble(from, to));
        }
    }

    /** A model that returns the network's outputs through {@code activation}, with optional names and normalizer. */
    static Model model(Network n, String activation, List<String> classes, Optional<Normalizer> normalizer) {
        return new Model(n, PluginSpec.of("mse"), activation, REGISTRY.activation(PluginSpec.of(activation)), normalizer,
                new Model.Labels(List.of(), "", classes), Map.of("seed", "1"));
    }

    /** Values spread over [-scale, scale]. */
    static Tensor inputs(DType dtype, Shape shape, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(dtype, shape);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble(-scale, scale));
        }
        return x;
    }
}
