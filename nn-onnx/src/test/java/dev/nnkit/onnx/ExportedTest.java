package dev.nnkit.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.io.data.PixelScale;
import dev.nnkit.io.data.Standardizer;
import dev.nnkit.io.model.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an export says about itself, and how its file is written. */
class ExportedTest {
    private static final OnnxExporter EXPORTER = OnnxExporter.discover(Models.REGISTRY);

    @TempDir
    Path dir;

    @Test
    void theInputAndOutputAreDescribedAsTheModelTakesAndGivesThem() {
        Model iris = Models.model(Models.network(NetworkSpec.builder(4).dense(3).build(), 1), "softmax",
                List.of("a", "b", "c"), Optional.of(Standardizer.fit(Models.inputs(DType.FLOAT32, Shape.of(9, 4), 1, 1))));
        OnnxExporter.Exported e = EXPORTER.export(iris, DType.FLOAT32);
        assertThat(e.input()).isEqualTo("features [batch, 4], float32: raw values; the graph standardizes them");
        assertThat(e.output()).isEqualTo("probabilities [batch, 3] and label [batch] (int64, an index into the metadata's"
                + " classes)");
        assertThat(e.notes()).isEmpty();

        Model pixels = new Model(Models.network(NetworkSpec.builder(Shape.of(1, 4, 4)).dense(1).build(), 1), PluginSpec.of("mse"),
                "identity", Models.REGISTRY.activation(PluginSpec.of("identity")), Optional.empty(),
                new Model.Labels(List.of(), "", List.of()), Map.of(), Optional.of(PixelScale.UBYTE));
        assertThat(EXPORTER.export(pixels, DType.FLOAT32).input())
                .isEqualTo("features [batch, 1, 4, 4], float32: raw 0-255 pixels; the graph divides them by 255");
        assertThat(EXPORTER.export(pixels, DType.FLOAT32).output()).isEqualTo("predictions [batch, 1]");
    }

    @Test
    void aFloat64GraphWithOperatorsOnnxRuntimeLacksInFloat64SaysHowToServeIt() {
        Model cnn = Models.model(Models.network(NetworkSpec.builder(Shape.of(1, 4, 4)).dtype(DType.FLOAT64)
                .stage(PluginSpec.of("conv2d", "filters", 2, "kernel", List.of(3))).activation("gelu").dense(2).build(), 1),
                "identity", List.of(), Optional.empty());
        assertThat(EXPORTER.export(cnn, DType.FLOAT64).notes()).containsExactly("ONNX Runtime's CPU provider has no float64"
                + " Conv or Erf kernel, so it refuses this file; to serve the model there, export it as float32 (nn export"
                + " --dtype float32).");
        assertThat(EXPORTER.export(cnn, DType.FLOAT32).notes()).isEmpty();
    }

    @Test
    void writingReplacesTheFileWholeAndClearsLeftoversOfDeadProcessesOnly() throws Exception {
        Model m = Models.model(Models.network(NetworkSpec.builder(2).dense(1).build(), 1), "identity", List.of(),
                Optional.empty());
        Path file = Files.writeString(dir.resolve("m.onnx"), "old");
        long dead = Long.MAX_VALUE - 1; // no such process
        Path leftover = Files.writeString(dir.resolve(".m.onnx." + dead + "-1.tmp"), "half");
        Path live = Files.writeString(dir.resolve(".m.onnx." + ProcessHandle.current().pid() + "-99999.tmp"), "busy");
        OnnxExporter.Exported e = EXPORTER.write(m, file);
        assertThat(Files.readAllBytes(file)).isEqualTo(e.bytes()).isEqualTo(EXPORTER.toBytes(m));
        assertThat(leftover).doesNotExist();
        assertThat(live).exists(); // a live process's (this one's other thread, say) is left alone
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("m.onnx", live.getFileName()
                    .toString());
        }
    }
}
