package dev.nnkit.io.model;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.io.data.Standardizer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Small trained models for the model-file tests. */
final class TestModels {
    static final PluginRegistry REGISTRY = PluginRegistry.discover();

    private TestModels() {
    }

    static Tensor inputs(DType dtype, int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(dtype, dev.nnkit.api.tensor.Shape.of(rows, 3));
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble(-5, 5) * (i % 3 + 1));
        }
        return x;
    }

    /** A 3-5-3 classifier (ReLU, softmax fused into the loss) trained a little on standardized data. */
    static Model classifier(DType dtype) {
        Tensor x = inputs(dtype, 30, 1);
        Standardizer s = Standardizer.fit(x);
        Tensor xs = x.copy();
        s.apply(xs);
        Tensor y = Tensor.zeros(dtype, dev.nnkit.api.tensor.Shape.of(30, 1));
        for (int i = 0; i < 30; i++) {
            y.set(i, i % 3);
        }
        Trainer t = Trainers.create(new TrainingSpec(
                NetworkSpec.builder(3).dense(5).activation("relu").dense(3).dtype(dtype).build(),
                PluginSpec.of("sparse-categorical-cross-entropy-logits"), Reduction.MEAN,
                PluginSpec.of("adam", "learningRate", 0.01), TrainingOptions.defaults().withMaxEpochs(5)), REGISTRY);
        t.fit(new Dataset(xs, y));
        return new Model(t.network(), PluginSpec.of("sparse-categorical-cross-entropy-logits"), "softmax",
                REGISTRY.activation(PluginSpec.of("softmax")), Optional.of(s),
                new Model.Labels(List.of("a", "b", "c"), "kind", List.of("cat", "dog", "eel")),
                Map.of("seed", "42"));
    }
}
