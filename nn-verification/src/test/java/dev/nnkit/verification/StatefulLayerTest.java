package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.layer.Buffer;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.api.plugin.SettinglessProvider;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.NamedBuffer;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginInfo;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.core.train.TrainingState;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.checkpoint.Checkpoints;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import dev.nnkit.io.safetensors.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's promises to a layer with state: buffers saved in the model and in checkpoints under
 * state_dict names and never optimized, and a stage's own random stream that a resumed run replays.
 * The fixture layer draws a dropout-like mask in training (from its stage's stream) and keeps a
 * running mean of its input (a buffer), which inference subtracts.
 */
@DisplayName("Layers with buffers and random streams")
class StatefulLayerTest {
    private static final PluginRegistry REGISTRY = withFixture();

    @TempDir
    Path dir;

    @Test
    @DisplayName("a run stopped at a checkpoint and resumed ends bit-identical, buffers and masks included")
    void resumeIsBitIdentical() throws Exception {
        Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), 100, "stateful");
        Trainer whole = trainer();
        checkpointEvery5(whole, checkpoints);
        whole.fit(data());
        TrainingState atStep10 = checkpoints.load(dir.resolve("checkpoints/step-000000000010"));
        assertThat(atStep10.buffers()).containsOnlyKeys("1.running_mean");
        assertThat(atStep10.stageRandomStates()).hasSize(4);
        assertThat(atStep10.shapes()).containsEntry("0.weight", Shape.of(6, 3)).containsEntry("1.running_mean", Shape.of(6));
        assertThat(Files.readString(dir.resolve("checkpoints/step-000000000010/state.json")))
                .contains("\"0.weight\":[6,3]");

        Trainer resumed = trainer();
        resumed.resume(data(), atStep10);
        assertSameState(resumed.network(), whole.network());

        // The replay depends on the stage stream: a resume that forgot it draws other masks.
        Trainer forgetful = trainer();
        List<byte[]> fresh = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fresh.add(forgetful.network().stageRandom(i).saveState());
        }
        forgetful.resume(data(), new TrainingState(atStep10.epoch(), atStep10.batch(), atStep10.iterations(),
                atStep10.epochLosses(), atStep10.epochLossSum(), atStep10.shuffleState(), atStep10.parameters(),
                atStep10.optimizer(), atStep10.buffers(), fresh, atStep10.shapes()));
        assertThat(forgetful.network().parameters().get(0).parameter().value().toDoubleArray())
                .isNotEqualTo(whole.network().parameters().get(0).parameter().value().toDoubleArray());
    }

    @Test
    @DisplayName("a checkpoint whose tensors have other shapes is refused, naming both shapes")
    void otherShapesRefused() throws Exception {
        Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), 100, "stateful");
        Trainer t = trainer();
        checkpointEvery5(t, checkpoints);
        t.fit(data());
        TrainingState saved = checkpoints.latest().orElseThrow();
        Map<String, Shape> transposed = new LinkedHashMap<>(saved.shapes());
        transposed.put("0.weight", Shape.of(3, 6));
        TrainingState other = new TrainingState(saved.epoch(), saved.batch(), saved.iterations(), saved.epochLosses(),
                saved.epochLossSum(), saved.shuffleState(), saved.parameters(), saved.optimizer(), saved.buffers(),
                saved.stageRandomStates(), transposed);
        Trainer fresh = trainer();
        double[][] before = weights(fresh.network());
        assertThatThrownBy(() -> fresh.resume(data(), other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter '0.weight' has shape [3, 6] there; the network's is [6, 3]");
        assertThat(weights(fresh.network())).as("a refused state changes nothing").isDeepEqualTo(before);
        // Another optimizer's state: refused before any weight is written too.
        Trainer sgd = trainer("sgd");
        double[][] sgdBefore = weights(sgd.network());
        assertThatThrownBy(() -> sgd.resume(data(), saved)).hasMessageContaining("Optimizer state does not fit");
        assertThat(weights(sgd.network())).isDeepEqualTo(sgdBefore);
    }

    @Test
    @DisplayName("an optimizer with scalar state (NAdam's μ product) checkpoints and resumes bit-identically")
    void scalarSlotsResume() throws Exception {
        Checkpoints checkpoints = new Checkpoints(dir.resolve("nadam"), 100, "stateful");
        Trainer whole = trainer("nadam");
        checkpointEvery5(whole, checkpoints);
        whole.fit(data());
        Trainer resumed = trainer("nadam");
        resumed.resume(data(), checkpoints.load(dir.resolve("nadam/step-000000000010")));
        assertSameState(resumed.network(), whole.network());
    }

    @Test
    @DisplayName("a damaged state.json is refused naming the file, whatever value is wrong")
    void damagedStateJson() throws Exception {
        Checkpoints checkpoints = new Checkpoints(dir.resolve("damaged"), 100, "stateful");
        Trainer t = trainer();
        checkpointEvery5(t, checkpoints);
        t.fit(data());
        Path state = dir.resolve("damaged/step-000000000010/state.json");
        String good = Files.readString(state);
        for (String[] damage : new String[][] {{"\"epoch\":\\d+", "\"epoch\":\"abc\""},
            {"\"epoch\":\\d+", "\"epoch\":99999999999999"},
            {"\"stageRandomStates\":\\[\"[^\"]*\"", "\"stageRandomStates\":[\"!!!\""},
            {"\"0.weight\":\\[6,3\\]", "\"0.weight\":[\"six\",3]"}}) {
            Files.writeString(state, good.replaceFirst(damage[0], damage[1]));
            assertThatThrownBy(() -> checkpoints.load(state.getParent())).as(damage[1])
                    .isInstanceOf(InvalidFileException.class).hasMessageContaining("state.json");
        }
    }

    /** Checkpoints every 5 steps into {@code checkpoints}. */
    private static void checkpointEvery5(Trainer t, Checkpoints checkpoints) {
        t.checkpointEvery(5, s -> {
            try {
                checkpoints.save(s);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static double[][] weights(Network n) {
        return n.parameters().stream().map(p -> p.parameter().value().toDoubleArray()).toArray(double[][]::new);
    }

    @Test
    @DisplayName("buffers are saved in model.safetensors, loaded back, used by inference, and never optimized")
    void buffersInModelFiles() throws Exception {
        Trainer t = trainer();
        Tensor mean = t.network().buffers().get(0).buffer().value();
        t.fit(data());
        assertThat(mean.toDoubleArray()).as("running mean after training").doesNotContain(0.0);
        Model model = new Model(t.network(), PluginSpec.of("mse"), "identity",
                REGISTRY.activation(PluginSpec.of("identity")), Optional.empty(),
                new Model.Labels(List.of(), "", List.of()), Map.of());
        ModelFiles.save(model, dir.resolve("model"), REGISTRY);
        Map<String, Tensor> stored = Safetensors.read(dir.resolve("model/model.safetensors"), specs(t.network()),
                Safetensors.NonFinite.REJECT).tensors();
        assertThat(stored).containsOnlyKeys("0.weight", "0.bias", "1.running_mean", "3.weight", "3.bias");
        assertThat(stored.get("1.running_mean").toDoubleArray()).containsExactly(mean.toDoubleArray());
        Model loaded = ModelFiles.load(dir.resolve("model"), REGISTRY, Safetensors.NonFinite.REJECT);
        assertThat(loaded.network().buffers().get(0).buffer().value().toDoubleArray()).containsExactly(mean.toDoubleArray());
        Tensor x = data().features();
        assertThat(loaded.predict(x).toDoubleArray()).containsExactly(model.predict(x).toDoubleArray());
    }

    @Test
    @DisplayName("a model file without one of its buffers is refused, naming it")
    void missingBufferRefused() throws Exception {
        Trainer t = trainer();
        Model model = new Model(t.network(), PluginSpec.of("mse"), "identity",
                REGISTRY.activation(PluginSpec.of("identity")), Optional.empty(),
                new Model.Labels(List.of(), "", List.of()), Map.of());
        ModelFiles.save(model, dir.resolve("model"), REGISTRY);
        Path weights = dir.resolve("model/model.safetensors");
        Map<String, Tensor> all = Safetensors.read(weights, specs(t.network()), Safetensors.NonFinite.REJECT).tensors();
        Map<String, Tensor> without = new LinkedHashMap<>(all);
        without.remove("1.running_mean");
        Files.delete(weights);
        Safetensors.write(weights, without, Map.of());
        assertThatThrownBy(() -> ModelFiles.load(dir.resolve("model"), REGISTRY, Safetensors.NonFinite.REJECT))
                .isInstanceOf(InvalidFileException.class).hasMessageContaining("1.running_mean");
    }

    private static Map<String, TensorSpec> specs(Network n) {
        Map<String, TensorSpec> specs = new LinkedHashMap<>();
        n.parameters().forEach(p -> specs.put(p.name(), new TensorSpec(p.parameter().value().dtype(),
                p.parameter().value().shape())));
        n.buffers().forEach(b -> specs.put(b.name(), new TensorSpec(b.buffer().value().dtype(), b.buffer().value().shape())));
        return specs;
    }

    private static void assertSameState(Network actual, Network expected) {
        for (int i = 0; i < expected.parameters().size(); i++) {
            NamedParameter p = expected.parameters().get(i);
            assertThat(actual.parameters().get(i).parameter().value().toDoubleArray()).as(p.name())
                    .containsExactly(p.parameter().value().toDoubleArray());
        }
        for (int i = 0; i < expected.buffers().size(); i++) {
            NamedBuffer b = expected.buffers().get(i);
            assertThat(actual.buffers().get(i).buffer().value().toDoubleArray()).as(b.name())
                    .containsExactly(b.buffer().value().toDoubleArray());
        }
    }

    private static Trainer trainer() {
        return trainer("adam");
    }

    private static Trainer trainer(String optimizer) {
        NetworkSpec net = NetworkSpec.builder(3).dense(6).stage(PluginSpec.of("noisy-mean")).activation("tanh")
                .dense(1).dtype(DType.FLOAT64).build();
        return Trainers.create(new TrainingSpec(net, PluginSpec.of("mse"), Reduction.MEAN,
                PluginSpec.of(optimizer, "learningRate", 0.01),
                TrainingOptions.defaults().withBatchSize(8).withMaxEpochs(6).withSeed(7)), REGISTRY);
    }

    private static Dataset data() {
        SplittableRandom r = new SplittableRandom(3);
        Tensor x = Tensor.zeros(DType.FLOAT64, Shape.of(40, 3));
        Tensor y = Tensor.zeros(DType.FLOAT64, Shape.of(40, 1));
        for (int i = 0; i < 40; i++) {
            double s = 0;
            for (int c = 0; c < 3; c++) {
                double v = r.nextDouble(-1, 1) + 0.5;
                x.set(i * 3 + c, v);
                s += v;
            }
            y.set(i, Math.sin(s));
        }
        return new Dataset(x, y);
    }

    private static PluginRegistry withFixture() {
        PluginRegistry builtIn = PluginRegistry.discover();
        List<PluginProvider<?, ?>> all = new ArrayList<>();
        for (PluginInfo info : builtIn.plugins()) {
            all.add(builtIn.provider(info.kind(), info.id()));
        }
        all.add(new NoisyMeanProvider());
        return PluginRegistry.of(all);
    }

    /** The fixture's provider. */
    public static final class NoisyMeanProvider extends SettinglessProvider<Layer> implements LayerProvider<NoConfig> {
        public NoisyMeanProvider() {
            super("noisy-mean", "training: x ⊙ m, m ∈ {0, 2} at random; inference: x − running mean");
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public Layer create(NoConfig config, LayerContext context) {
            return new NoisyMeanLayer(context.inputShape(), context.dtype());
        }
    }

    /** Training: out = x ⊙ m with m ∈ {0, 2} drawn per element; running mean ← 0.9·mean + 0.1·batch mean. */
    private static final class NoisyMeanLayer implements Layer {
        private final Shape shape;
        private final Buffer runningMean;

        NoisyMeanLayer(Shape shape, DType dtype) {
            this.shape = shape;
            this.runningMean = new Buffer("running_mean", Tensor.zeros(dtype, shape));
        }

        @Override
        public Shape outputShape() {
            return shape;
        }

        @Override
        public List<Buffer> buffers() {
            return List.of(runningMean);
        }

        @Override
        public void forward(Tensor input, Tensor output, PassContext context) {
            int rows = input.shape().rows();
            int cols = input.shape().cols();
            Tensor mean = runningMean.value();
            if (context.mode() == Mode.INFERENCE) {
                for (int i = 0; i < input.size(); i++) {
                    output.set(i, input.get(i) - mean.get(i % cols));
                }
                return;
            }
            Tensor mask = context.scratch("mask", input.shape());
            for (int i = 0; i < input.size(); i++) {
                double m = context.random().nextBoolean() ? 2 : 0;
                mask.set(i, m);
                output.set(i, input.get(i) * m);
            }
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += input.get(r * cols + c);
                }
                mean.set(c, 0.9 * mean.get(c) + 0.1 * s / rows);
            }
        }

        @Override
        public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                                  PassContext context) {
            Tensor mask = context.scratch("mask", input.shape());
            for (int i = 0; i < input.size(); i++) {
                inputGradient.set(i, outputGradient.get(i) * mask.get(i));
            }
        }
    }
}
