package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model directories and PyTorch agree in both directions, through the committed script
 * src/test/resources/interop/torch_interop.py: PyTorch loads nnkit's model.safetensors into the
 * equivalent nn.Sequential and predicts the same within 1e-6, and nnkit loads a model directory
 * that PyTorch wrote (committed as interop/torch-model) and predicts what PyTorch did.
 */
@DisplayName("PyTorch interoperability")
class TorchInteropTest {
    static final PluginRegistry REGISTRY = PluginRegistry.discover();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(TorchInteropTest.class.getResource("/interop/" + name).toURI());
    }

    static boolean torchAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    @DisplayName("nnkit loads a model directory written by PyTorch and predicts what PyTorch predicted")
    void loadsPyTorchWeights() throws Exception {
        assertPredictions(resource("torch-model"));
    }

    @Test
    @DisplayName("PyTorch loads nnkit's model.safetensors into the equivalent nn.Sequential and predicts the same")
    void pyTorchLoadsNnkitWeights() throws Exception {
        pyTorchPredictsAsNnkit(NetworkSpec.builder(4).dense(6).activation("tanh").dense(5).activation("leaky-relu")
                .dense(3).build(), "model");
    }

    @Test
    @DisplayName("the same with gelu (tanh), silu, elu, selu and softplus, settings included, mapped to PyTorch's modules")
    void pyTorchLoadsSmoothActivations() throws Exception {
        pyTorchPredictsAsNnkit(NetworkSpec.builder(4).dense(6).stage(PluginSpec.of("gelu", "approximate", "tanh"))
                .dense(6).activation("silu").dense(6).stage(PluginSpec.of("elu", "alpha", 0.5)).dense(6)
                .activation("selu").dense(5).stage(new PluginSpec("softplus", Map.of("beta", 2.0, "threshold", 3.0)))
                .dense(3).build(), "smooth-model");
    }

    @Test
    @DisplayName("the same for a CNN: conv2d (padding, stride, groups), batch norm over channels and features, pooling, dropout")
    void pyTorchLoadsNnkitCnn() throws Exception {
        pyTorchPredictsAsNnkit(NetworkSpec.builder(dev.nnkit.api.tensor.Shape.of(2, 8, 8))
                .stage(PluginSpec.of("conv2d", "filters", 4, "kernel", 3, "padding", "same"))
                .stage(PluginSpec.of("batch-norm")).activation("relu")
                .stage(PluginSpec.of("max-pool2d", "kernel", 2))
                .stage(PluginSpec.of("conv2d", "filters", 6, "kernel", List.of(2, 3), "stride", 2, "groups", 2,
                        "bias", false)).activation("tanh")
                .stage(PluginSpec.of("avg-pool2d", "kernel", 2, "stride", 1, "padding", 1, "countIncludePad", false))
                .dense(5).stage(PluginSpec.of("batch-norm", "momentum", 0.3)).stage(PluginSpec.of("dropout", "p", 0.2))
                .dense(3).build(), "cnn-model");
    }

    @Test
    @DisplayName("nnkit loads a CNN written by PyTorch (I64 num_batches_tracked, running statistics) and predicts what PyTorch did")
    void loadsPyTorchCnn() throws Exception {
        assertPredictions(resource("torch-cnn-model"));
    }

    @Test
    @DisplayName("a CNN PyTorch writes now loads too")
    void freshPyTorchCnn() throws Exception {
        Needs.installed(torchAvailable(), "PyTorch is not installed (apt-get install python3-torch).");
        assertPredictions(torchMakes("make-cnn", dir.resolve("fresh-cnn")));
    }

    private void pyTorchPredictsAsNnkit(NetworkSpec network, String name) throws Exception {
        Needs.installed(torchAvailable(), "PyTorch is not installed (apt-get install python3-torch).");
        int width = network.inputShape().size();
        Tensor x = Tensor.zeros(DType.FLOAT32, dev.nnkit.api.tensor.Shape.of(40, width));
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble(-3, 3) + 10 * (i % 4));
        }
        Tensor y = Tensor.zeros(DType.FLOAT32, dev.nnkit.api.tensor.Shape.of(40, 1));
        for (int i = 0; i < 40; i++) {
            y.set(i, i % 3);
        }
        Standardizer s = Standardizer.fit(x);
        Tensor xs = x.copy();
        s.apply(xs);
        Trainer t = Trainers.create(new TrainingSpec(network, PluginSpec.of("sparse-categorical-cross-entropy-logits"),
                Reduction.MEAN, PluginSpec.of("adam", "learningRate", 0.02), TrainingOptions.defaults().withMaxEpochs(20)));
        t.fit(new Dataset(xs, y));
        Model model = new Model(t.network(), PluginSpec.of("sparse-categorical-cross-entropy-logits"), "softmax",
                REGISTRY.activation(PluginSpec.of("softmax")), Optional.of(s),
                new Model.Labels(java.util.stream.IntStream.range(0, width).mapToObj(i -> "f" + i).toList(), "y",
                        List.of("0", "1", "2")), Map.of());
        Path out = dir.resolve(name);
        ModelFiles.save(model, out, REGISTRY);
        Files.writeString(out.resolve("inputs.json"), JSON.writeValueAsString(rows(x)));
        Files.writeString(out.resolve("predictions.json"), JSON.writeValueAsString(rows(model.predict(x))));
        Path torchOut = dir.resolve(name + "-torch-predictions.json");
        Process p = new ProcessBuilder("/usr/bin/python3", resource("torch_interop.py").toString(), "check",
                out.toString(), out.resolve("inputs.json").toString(), torchOut.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("torch_interop.py check: " + log).isZero();
        double[] ours = GoldenCase.flatten(JSON.readTree(out.resolve("predictions.json").toFile()));
        double[] theirs = GoldenCase.flatten(JSON.readTree(torchOut.toFile()));
        assertThat(theirs).hasSameSizeAs(ours);
        for (int i = 0; i < ours.length; i++) {
            assertThat(Math.abs(ours[i] - theirs[i])).as("prediction %d: nnkit %s, PyTorch %s", i, ours[i], theirs[i])
                    .isLessThanOrEqualTo(1e-6);
        }
    }

    @Test
    @DisplayName("a model directory PyTorch writes now (not only the committed one) loads too")
    void freshPyTorchModel() throws Exception {
        Needs.installed(torchAvailable(), "PyTorch is not installed (apt-get install python3-torch).");
        assertPredictions(torchMakes("make", dir.resolve("fresh")));
    }

    /** Runs torch_interop.py's {@code command} (make, make-cnn) writing a model directory to {@code out}. */
    private static Path torchMakes(String command, Path out) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", resource("torch_interop.py").toString(), command, out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        return out;
    }

    private static void assertPredictions(Path modelDir) throws IOException {
        Model m = ModelFiles.load(modelDir, REGISTRY, Safetensors.NonFinite.REJECT);
        Tensor x = GoldenCase.matrix(JSON.readTree(modelDir.resolve("inputs.json").toFile()), m.network().dtype());
        double[] expected = GoldenCase.flatten(JSON.readTree(modelDir.resolve("predictions.json").toFile()));
        double[] actual = m.predict(x).toDoubleArray();
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("prediction %d: nnkit %s, PyTorch %s", i, actual[i], expected[i])
                    .isLessThanOrEqualTo(1e-6);
        }
        assertThat(m.labels().classes()).isNotEmpty();
    }

    private static double[][] rows(Tensor t) {
        int cols = t.shape().cols();
        double[][] out = new double[t.shape().rows()][cols];
        for (int i = 0; i < t.size(); i++) {
            out[i / cols][i % cols] = t.get(i);
        }
        return out;
    }
}
