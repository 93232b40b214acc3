package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose classes the network cannot name is refused before training, naming the config:
 * never a model saved with class names it cannot load, never "Row 2 of the batch" with no file.
 */
@DisplayName("nn train and the number of classes")
class ClassCountTest {
    @TempDir
    Path dir;

    private Path config(String layers, String data) throws IOException {
        Files.writeString(dir.resolve("three.csv"), CliSizeClaimsTest.THREE_CLASSES);
        return Files.writeString(dir.resolve("run.json"), """
                {"data": {"train": "three.csv", "labels": "classes"%s},
                 "layers": %s, "loss": "sparse-categorical-cross-entropy-logits", "optimizer": "adam",
                 "training": {"batchSize": 6, "maxEpochs": 2}}
                """.formatted(data, layers));
    }

    @Test
    @DisplayName("3 classes for 2 outputs: exit 4 at /layers with both counts, before training")
    void moreClassesThanOutputs() throws IOException {
        Path cfg = config("[{\"type\": \"dense\", \"units\": 2}]", "");
        CliTest.Run r = CliTest.nn("train", "--config", cfg.toString(), "--out", dir.resolve("run").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(4);
        assertThat(r.err()).contains("run.json at /layers: the data has 3 classes (a, b, c) but the network ends with 2"
                + " outputs; give the last layer 3 units.").doesNotContain("epoch 1");
        assertThat(dir.resolve("run/model")).doesNotExist();
    }

    @Test
    @DisplayName("a class name given twice in data.classNames: exit 4 at its place")
    void duplicateClassNames() throws IOException {
        Path cfg = config("[{\"type\": \"dense\", \"units\": 3}]", ", \"classNames\": [\"cat\", \"cat\", \"eel\"]");
        CliTest.Run r = CliTest.nn("train", "--config", cfg.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(4);
        assertThat(r.err()).contains("run.json at /data/classNames/1: the class name \"cat\" appears twice");
    }
}
