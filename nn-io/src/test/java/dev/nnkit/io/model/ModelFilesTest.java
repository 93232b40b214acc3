package dev.nnkit.io.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("Model files")
class ModelFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    @DisplayName("save → load gives bit-identical predictions, with the normalizer, labels and provenance")
    void roundTrip(DType dtype) throws IOException {
        Model m = TestModels.classifier(dtype);
        Path out = dir.resolve("model");
        ModelFiles.save(m, out, TestModels.REGISTRY);
        Model loaded = ModelFiles.load(out, TestModels.REGISTRY, Safetensors.NonFinite.REJECT);
        Tensor x = TestModels.inputs(dtype, 50, 9);
        double[] before = m.predict(x).toDoubleArray();
        double[] after = loaded.predict(x).toDoubleArray();
        for (int i = 0; i < before.length; i++) {
            assertThat(Double.doubleToLongBits(after[i])).as("prediction %d", i).isEqualTo(Double.doubleToLongBits(before[i]));
        }
        assertThat(loaded.labels()).isEqualTo(m.labels());
        assertThat(loaded.normalizer()).isEqualTo(m.normalizer());
        assertThat(loaded.provenance()).containsEntry("seed", "42");
        assertThat(loaded.network().dtype()).isEqualTo(dtype);
    }

    @Test
    @DisplayName("replaces an existing model atomically, leaving no temporary directories")
    void replacesAtomically() throws IOException {
        Path out = dir.resolve("model");
        ModelFiles.save(TestModels.classifier(DType.FLOAT32), out, TestModels.REGISTRY);
        byte[] first = Files.readAllBytes(out.resolve(ModelFiles.WEIGHTS));
        Model other = TestModels.classifier(DType.FLOAT32);
        other.network().parameters().get(0).parameter().value().set(0, 123);
        ModelFiles.save(other, out, TestModels.REGISTRY);
        assertThat(Files.readAllBytes(out.resolve(ModelFiles.WEIGHTS))).isNotEqualTo(first);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("model");
        }
    }

    @Test
    @DisplayName("names tensors as the PyTorch nn.Sequential state_dict does")
    void stateDictNames() throws IOException {
        Path out = dir.resolve("model");
        ModelFiles.save(TestModels.classifier(DType.FLOAT32), out, TestModels.REGISTRY);
        String header = new String(Files.readAllBytes(out.resolve(ModelFiles.WEIGHTS)), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(header).contains("\"0.weight\"", "\"0.bias\"", "\"2.weight\"", "\"2.bias\"", "\"F32\"");
    }

    @Test
    @DisplayName("writes the input as a shape, and still reads a format-1 file that gives a width")
    void inputShapeAndFormatOne() throws IOException {
        Model m = TestModels.classifier(DType.FLOAT32);
        Path out = dir.resolve("model");
        ModelFiles.save(m, out, TestModels.REGISTRY);
        Path json = out.resolve(ModelFiles.DESCRIPTION);
        String text = Files.readString(json);
        assertThat(text).contains("\"formatVersion\" : 2", "\"inputShape\" : [ 3 ]");
        Files.writeString(json, text.replace("\"formatVersion\" : 2", "\"formatVersion\" : 1")
                .replace("\"inputShape\" : [ 3 ]", "\"inputs\" : 3"));
        Model old = ModelFiles.load(out, TestModels.REGISTRY, Safetensors.NonFinite.REJECT);
        assertThat(old.network().inputShape()).isEqualTo(dev.nnkit.api.tensor.Shape.of(3));
        Tensor x = TestModels.inputs(DType.FLOAT32, 20, 4);
        assertThat(old.predict(x).toDoubleArray()).containsExactly(m.predict(x).toDoubleArray());
    }
}
