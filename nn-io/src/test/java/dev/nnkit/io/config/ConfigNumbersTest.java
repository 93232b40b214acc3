package dev.nnkit.io.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.InvalidFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Optimizer and training numbers out of their range are refused at their own JSON place. */
@DisplayName("Config numbers")
class ConfigNumbersTest {
    static final PluginRegistry REGISTRY = PluginRegistry.discover();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} = {1} → {2}")
    @CsvSource(delimiter = '|', value = {
        "optimizer | {\"type\": \"sgd\", \"momentum\": 1}            | /optimizer/momentum      | momentum must be in [0, 1); got 1.0",
        "optimizer | {\"type\": \"sgd\", \"momentum\": 1.5}          | /optimizer/momentum      | momentum must be in [0, 1); got 1.5",
        "optimizer | {\"type\": \"sgd\", \"momentum\": -0.1}         | /optimizer/momentum      | momentum must be in [0, 1); got -0.1",
        "optimizer | {\"type\": \"rmsprop\", \"momentum\": 1}        | /optimizer/momentum      | momentum must be in [0, 1)",
        "optimizer | {\"type\": \"sgd\", \"learningRate\": -0.01}    | /optimizer/learningRate  | learningRate must be finite and > 0; got -0.01",
        "optimizer | {\"type\": \"adam\", \"learningRate\": 0}       | /optimizer/learningRate  | learningRate must be finite and > 0; got 0.0",
        "optimizer | {\"type\": \"adam\", \"epsilon\": 0}            | /optimizer/epsilon       | epsilon must be finite and > 0; got 0.0",
        "optimizer | {\"type\": \"adam\", \"epsilon\": -1e-8}        | /optimizer/epsilon       | epsilon must be finite and > 0",
        "optimizer | {\"type\": \"adam\", \"beta1\": 1}              | /optimizer/beta1         | beta1 must be in [0, 1); got 1.0",
        "optimizer | {\"type\": \"adamw\", \"beta2\": -0.5}         | /optimizer/beta2         | beta2 must be in [0, 1); got -0.5",
        "optimizer | {\"type\": \"adam\", \"weightDecay\": -1}       | /optimizer/weightDecay   | weightDecay must be finite and ≥ 0",
        "optimizer | {\"type\": \"sgd\", \"dampening\": 2}           | /optimizer/dampening     | dampening must be in [0, 1]; got 2.0",
        "optimizer | {\"type\": \"adam\", \"learningRate\": 1e400}   | /optimizer/learningRate  | expected a finite number; got a number beyond the range of a double",
        "training  | {\"batchSize\": 0}                             | /training/batchSize      | batchSize must be at least 1; got 0",
        "training  | {\"maxEpochs\": -3}                            | /training/maxEpochs      | maxEpochs must be at least 1; got -3",
        "training  | {\"l2\": -1}                                   | /training/l2             | l2 must be finite and ≥ 0; got -1.0",
        "training  | {\"clipNorm\": 0}                              | /training/clipNorm       | clipNorm must be finite and > 0",
        "training  | {\"batchSize\": 4294967297}                    | /training/batchSize      | must be a whole number; got 4294967297",
    })
    void refusedAtTheirPlace(String section, String value, String pointer, String message) throws IOException {
        Files.writeString(dir.resolve("d.csv"), "x,y\n1,2\n");
        String optimizer = section.equals("optimizer") ? value : "\"adam\"";
        String training = section.equals("training") ? value : "{}";
        Path cfg = Files.writeString(dir.resolve("run.json"), """
                {"data": {"train": "d.csv"}, "layers": [{"type": "dense", "units": 1}], "loss": "mse",
                 "optimizer": %s, "training": %s}
                """.formatted(optimizer, training));
        Throwable t = catchThrowable(() -> new TrainingConfigReader(REGISTRY).read(cfg));
        assertThat(t).isInstanceOf(InvalidFileException.class);
        InvalidFileException e = (InvalidFileException) t;
        assertThat(e.place()).isEqualTo(pointer);
        assertThat(e.problem()).contains(message).doesNotContain("Exception").doesNotContain("java.");
    }

    @org.junit.jupiter.api.Test
    @DisplayName("--set with a list index beyond an int names the edit, not a NumberFormatException")
    void overrideIndexBeyondAnInt() throws IOException {
        Files.writeString(dir.resolve("d.csv"), "x,y\n1,2\n");
        Path cfg = Files.writeString(dir.resolve("run.json"), """
                {"data": {"train": "d.csv"}, "layers": [{"type": "dense", "units": 1}], "loss": "mse", "optimizer": "adam"}
                """);
        for (String edit : new String[] {"layers.99999999999.units=3", "layers.99999999999=3"}) {
            Throwable t = catchThrowable(() -> new TrainingConfigReader(REGISTRY).read(cfg, java.util.List.of(edit)));
            assertThat(t).as(edit).isInstanceOf(IllegalArgumentException.class).isNotInstanceOf(NumberFormatException.class)
                    .hasMessageStartingWith("--set " + edit + ": ");
        }
    }
}
