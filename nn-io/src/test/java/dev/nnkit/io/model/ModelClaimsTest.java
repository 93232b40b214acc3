package dev.nnkit.io.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What model.json claims is checked against model.safetensors, the heap and itself before the
 * network is built: a hostile description cannot make nnkit allocate what it claims.
 */
@DisplayName("Model claims")
class ModelClaimsTest {
    @TempDir
    Path dir;

    private Path saved() throws IOException {
        Path out = dir.resolve("model");
        ModelFiles.save(TestModels.classifier(DType.FLOAT32), out, TestModels.REGISTRY);
        return out;
    }

    private static void edit(Path model, String from, String to) throws IOException {
        Path json = model.resolve(ModelFiles.DESCRIPTION);
        String text = Files.readString(json);
        assertThat(text).contains(from);
        Files.writeString(json, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }

    private static InvalidFileException refused(Path model) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> ModelFiles.load(model, TestModels.REGISTRY, Safetensors.NonFinite.REJECT));
        assertThat(t).isInstanceOf(InvalidFileException.class);
        return (InvalidFileException) t;
    }

    @Test
    @DisplayName("a 120M×16 dense layer over a small weights file: refused from the header, nothing of 7.7 GB allocated")
    void claimCheckedAgainstHeader() throws IOException {
        Path model = saved();
        edit(model, "\"inputShape\" : [ 3 ]", "\"inputShape\" : [ 16 ]");
        edit(model, "\"features\" : [ \"a\", \"b\", \"c\" ]", "\"features\" : [ ]");
        edit(model, "\"units\" : 5", "\"units\" : 120000000");
        long before = System.nanoTime();
        InvalidFileException e = refused(model);
        assertThat(e.file()).isEqualTo(model.resolve(ModelFiles.WEIGHTS));
        assertThat(e.getMessage()).contains("tensor '0.weight'", "[120000000, 16]", "7680000000 bytes");
        assertThat(System.nanoTime() - before).as("refused at once").isLessThan(5_000_000_000L);
    }

    @Test
    @DisplayName("an honest weights file too large for the heap: refused with the size and the heap, before allocating")
    void claimCheckedAgainstHeap() throws IOException {
        Path model = saved();
        // A weights file of the claimed size without writing it: a sparse file whose header says so.
        edit(model, "\"units\" : 5", "\"units\" : 700000000");
        long weights = 700_000_000L * 3;
        long values = weights + 700_000_000L + 3L * 700_000_000 + 3;
        String header = "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[700000000,3],\"data_offsets\":[0," + weights * 4
                + "]},\"0.bias\":{\"dtype\":\"F32\",\"shape\":[700000000],\"data_offsets\":[" + weights * 4 + ","
                + (weights + 700_000_000L) * 4 + "]},\"2.weight\":{\"dtype\":\"F32\",\"shape\":[3,700000000],\"data_offsets\":["
                + (weights + 700_000_000L) * 4 + "," + (values - 3) * 4 + "]},\"2.bias\":{\"dtype\":\"F32\",\"shape\":[3],"
                + "\"data_offsets\":[" + (values - 3) * 4 + "," + values * 4 + "]}}";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (var ch = java.nio.channels.FileChannel.open(model.resolve(ModelFiles.WEIGHTS),
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, h.length));
            ch.write(java.nio.ByteBuffer.wrap(h));
            ch.truncate(8 + h.length + values * 4);
            ch.write(java.nio.ByteBuffer.allocate(1), 8 + h.length + values * 4 - 1);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 2 * values * 4,
                "this JVM's heap could hold the model");
        InvalidFileException e = refused(model);
        assertThat(e.file()).isEqualTo(model.resolve(ModelFiles.DESCRIPTION));
        assertThat(e.getMessage()).contains("/network", values + " weights", "GB", "the Java heap is at most", "-Xmx");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "2 names for 3 outputs | [ \"cat\", \"dog\", \"eel\" ] | [ \"cat\", \"dog\" ] | 2 class names for 3 outputs",
        "5 names for 3 outputs | [ \"cat\", \"dog\", \"eel\" ] | [ \"a\", \"b\", \"c\", \"d\", \"e\" ] | 5 class names for 3 outputs",
        "a name twice | [ \"cat\", \"dog\", \"eel\" ] | [ \"cat\", \"dog\", \"cat\" ] | \"cat\" appears twice",
        "4 feature names for 3 inputs | [ \"a\", \"b\", \"c\" ] | [ \"a\", \"b\", \"c\", \"d\" ] | 4 feature names for 3 inputs",
    })
    @DisplayName("labels that do not match the network are refused with both counts")
    void labelsMatchTheNetwork(String name, String from, String to, String message) throws IOException {
        Path model = saved();
        edit(model, from, to);
        InvalidFileException e = refused(model);
        assertThat(e.file()).isEqualTo(model.resolve(ModelFiles.DESCRIPTION));
        assertThat(e.getMessage()).contains("/labels/", message);
    }

    @Test
    @DisplayName("no class names is a regression model, and loads")
    void noClassesIsRegression() throws IOException {
        Path model = saved();
        edit(model, "[ \"cat\", \"dog\", \"eel\" ]", "[ ]");
        assertThat(ModelFiles.load(model, TestModels.REGISTRY, Safetensors.NonFinite.REJECT).labels().classes()).isEmpty();
    }

    @Test
    @DisplayName("saving a classifier whose data lacked the last classes names them by number, so it loads")
    void savesANameForEveryOutput() throws IOException {
        Model m = TestModels.classifier(DType.FLOAT32);
        Model partial = new Model(m.network(), m.loss(), m.predictionActivation(), m.activation(), m.normalizer(),
                new Model.Labels(m.labels().features(), "", List.of("0")), m.provenance());
        Path out = dir.resolve("partial");
        ModelFiles.save(partial, out, TestModels.REGISTRY);
        assertThat(ModelFiles.load(out, TestModels.REGISTRY, Safetensors.NonFinite.REJECT).labels().classes())
                .containsExactly("0", "1", "2");
    }

    @Test
    @DisplayName("a layer no array can hold is refused with its numbers, not 'split the data'")
    void layerTooLargeForAnArray() throws IOException {
        Path model = saved();
        edit(model, "\"units\" : 5", "\"units\" : 1000000000");
        InvalidFileException e = refused(model);
        assertThat(e.getMessage()).contains("/network", "1000000000 units × 3 inputs = 3000000000 values", "use fewer units")
                .doesNotContain("split the data");
    }
}
