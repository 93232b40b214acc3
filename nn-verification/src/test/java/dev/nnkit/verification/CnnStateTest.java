package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.core.train.TrainingState;
import dev.nnkit.io.checkpoint.Checkpoints;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CNN with every stateful layer (batch norm over channels and over features, dropout) keeps the
 * engine's promises: a run stopped at a checkpoint and resumed ends with the same bits as one that
 * was not (masks from the stage streams, running statistics and num_batches_tracked restored), and
 * a saved model predicts, bit for bit, what the trained network predicts.
 */
@DisplayName("CNN state: resume and model files")
class CnnStateTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();

    @TempDir
    Path dir;

    @Test
    @DisplayName("stopped at step 10 and resumed: bit-identical weights, running statistics and counts")
    void resumeIsBitIdentical() throws Exception {
        Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), 100, "cnn");
        Trainer whole = trainer();
        whole.checkpointEvery(5, s -> {
            try {
                checkpoints.save(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        whole.fit(data());
        TrainingState atStep10 = checkpoints.load(dir.resolve("checkpoints/step-000000000010"));
        assertThat(atStep10.buffers()).containsKeys("1.running_mean", "1.running_var", "1.num_batches_tracked",
                "7.running_var");
        assertThat(atStep10.buffers().get("1.num_batches_tracked")).containsExactly(10.0);
        Trainer resumed = trainer();
        resumed.resume(data(), atStep10);
        assertSameState(resumed.network(), whole.network());
        assertThat(whole.network().buffers().get(2).buffer().value().get(0)).as("num_batches_tracked after 3 epochs of 5")
                .isEqualTo(15.0);
    }

    @Test
    @DisplayName("a saved CNN loads and predicts the same bits, buffers included")
    void modelFilesRoundTrip() throws Exception {
        Trainer t = trainer();
        t.fit(data());
        Model model = model(t);
        ModelFiles.save(model, dir.resolve("model"), REGISTRY);
        Model loaded = ModelFiles.load(dir.resolve("model"), REGISTRY, Safetensors.NonFinite.REJECT);
        assertSameState(loaded.network(), t.network());
        Tensor x = data().features();
        assertThat(loaded.predict(x).toDoubleArray()).containsExactly(model.predict(x).toDoubleArray());
    }

    @Test
    @DisplayName("four threads predicting with one CNN at once get the bits one thread gets")
    void concurrentInference() throws Exception {
        Trainer t = trainer();
        t.fit(data());
        Network net = t.network();
        // 300 images: the layers' loops are split across the kernel threads as well
        SplittableRandom r = new SplittableRandom(8);
        Tensor x = Tensor.zeros(DType.FLOAT32, Shape.of(300, 2, 6, 6));
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble(-1, 1));
        }
        double[] alone = net.infer(x).toDoubleArray();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<double[]>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> net.infer(x).toDoubleArray()));
            }
            for (java.util.concurrent.Future<double[]> f : results) {
                assertThat(f.get()).containsExactly(alone);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a model file without a batch norm's running_var is refused, naming the tensor")
    void missingRunningVarRefused() throws Exception {
        Trainer t = trainer();
        Model model = model(t);
        ModelFiles.save(model, dir.resolve("model"), REGISTRY);
        Path weights = dir.resolve("model/model.safetensors");
        Map<String, dev.nnkit.io.safetensors.TensorSpec> specs = specs(t.network());
        Map<String, Tensor> without = new java.util.LinkedHashMap<>(
                Safetensors.read(weights, specs, Safetensors.NonFinite.REJECT).tensors());
        without.remove("1.running_var");
        java.nio.file.Files.delete(weights);
        Safetensors.write(weights, without, Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> ModelFiles.load(dir.resolve("model"), REGISTRY, Safetensors.NonFinite.REJECT))
                .isInstanceOf(dev.nnkit.io.InvalidFileException.class).hasMessageContaining("model.safetensors")
                .hasMessageContaining("'1.running_var' is missing");
    }

    @Test
    @DisplayName("a negative running_var or a fractional num_batches_tracked in the model file is refused, naming it")
    void damagedBatchNormBuffersRefused() throws Exception {
        Trainer t = trainer();
        Model model = model(t);
        ModelFiles.save(model, dir.resolve("model"), REGISTRY);
        Path weights = dir.resolve("model/model.safetensors");
        Map<String, dev.nnkit.io.safetensors.TensorSpec> specs = specs(t.network());
        Map<String, Tensor> good = Safetensors.read(weights, specs, Safetensors.NonFinite.REJECT).tensors();
        for (String[] damage : new String[][] {{"7.running_var", "-0.5"}, {"1.num_batches_tracked", "2.5"}}) {
            Map<String, Tensor> bad = new java.util.LinkedHashMap<>(good);
            Tensor changed = good.get(damage[0]).copy();
            changed.set(0, Double.parseDouble(damage[1]));
            bad.put(damage[0], changed);
            java.nio.file.Files.delete(weights);
            Safetensors.write(weights, bad, Map.of());
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> ModelFiles.load(dir.resolve("model"), REGISTRY, Safetensors.NonFinite.REJECT))
                    .isInstanceOf(dev.nnkit.io.InvalidFileException.class)
                    .hasMessageContaining("tensor '" + damage[0] + "', element 0").hasMessageContaining(damage[1]);
        }
    }

    /** The trained network as a classifier model of three classes over its 72 input values. */
    private static Model model(Trainer t) {
        return new Model(t.network(), PluginSpec.of("sparse-categorical-cross-entropy-logits"), "softmax",
                REGISTRY.activation(PluginSpec.of("softmax")), Optional.empty(),
                new Model.Labels(java.util.stream.IntStream.range(0, 72).mapToObj(i -> "p" + i).toList(), "y",
                        List.of("a", "b", "c")), Map.of());
    }

    /** What model.safetensors holds for {@code n}: every parameter and buffer with its dtype and shape. */
    private static Map<String, dev.nnkit.io.safetensors.TensorSpec> specs(Network n) {
        Map<String, dev.nnkit.io.safetensors.TensorSpec> specs = new java.util.LinkedHashMap<>();
        n.parameters().forEach(p -> specs.put(p.name(), new dev.nnkit.io.safetensors.TensorSpec(
                p.parameter().value().dtype(), p.parameter().value().shape())));
        n.buffers().forEach(b -> specs.put(b.name(), new dev.nnkit.io.safetensors.TensorSpec(
                b.buffer().value().dtype(), b.buffer().value().shape())));
        return specs;
    }

    private static void assertSameState(Network actual, Network expected) {
        for (int i = 0; i < expected.parameters().size(); i++) {
            assertThat(actual.parameters().get(i).parameter().value().toDoubleArray())
                    .as(expected.parameters().get(i).name())
                    .containsExactly(expected.parameters().get(i).parameter().value().toDoubleArray());
        }
        assertThat(actual.buffers()).hasSameSizeAs(expected.buffers());
        for (int i = 0; i < expected.buffers().size(); i++) {
            assertThat(actual.buffers().get(i).buffer().value().toDoubleArray()).as(expected.buffers().get(i).name())
                    .containsExactly(expected.buffers().get(i).buffer().value().toDoubleArray());
        }
    }

    private static Trainer trainer() {
        NetworkSpec net = NetworkSpec.builder(Shape.of(2, 6, 6))
                .stage(PluginSpec.of("conv2d", "filters", 4, "kernel", 3, "padding", 1))
                .stage(PluginSpec.of("batch-norm")).activation("relu")
                .stage(PluginSpec.of("max-pool2d", "kernel", 2))
                .stage(PluginSpec.of("dropout", "p", 0.25))
                .stage(PluginSpec.of("flatten"))
                .dense(8).stage(PluginSpec.of("batch-norm", "momentum", 0.2)).activation("tanh")
                .stage(PluginSpec.of("dropout", "p", 0.5))
                .dense(3).dtype(DType.FLOAT32).build();
        return Trainers.create(new TrainingSpec(net, PluginSpec.of("sparse-categorical-cross-entropy-logits"),
                Reduction.MEAN, PluginSpec.of("adam", "learningRate", 0.01),
                TrainingOptions.defaults().withBatchSize(8).withMaxEpochs(3).withSeed(11)), REGISTRY);
    }

    /** 40 images of 2×6×6 whose class is which third of the picture is brightest. */
    private static Dataset data() {
        SplittableRandom r = new SplittableRandom(5);
        Tensor x = Tensor.zeros(DType.FLOAT32, Shape.of(40, 2, 6, 6));
        Tensor y = Tensor.zeros(DType.FLOAT32, Shape.of(40, 1));
        for (int n = 0; n < 40; n++) {
            int label = n % 3;
            y.set(n, label);
            for (int i = 0; i < 72; i++) {
                int column = i % 6;
                x.set(n * 72 + i, r.nextDouble(-0.5, 0.5) + (column / 2 == label ? 1 : 0));
            }
        }
        return new Dataset(x, y);
    }
}
