package com.example.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.config.TrainingConfigReader;
import dev.nnkit.io.model.Prediction;
import dev.nnkit.io.model.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inference without the training stack: the model serves, and the training libraries are absent. */
class PredictAppTest {
    /** The iris run CI trains with ./nn train (see .ci/run); its model directory by default. */
    static final Path MODEL = Path.of(System.getProperty("nnkit.model", "../../runs/iris"));

    @ParameterizedTest
    @ValueSource(strings = {"com.google.inject.Guice", "com.google.common.collect.ImmutableList",
            "tools.jackson.dataformat.yaml.YAMLMapper", "org.yaml.snakeyaml.Yaml", "dev.nnkit.inject.Trainers"})
    void trainingStackIsAbsent(String className) {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(className));
    }

    @Test
    void aYamlConfigSaysWhatIsMissing(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("run.yaml"), "loss: mse\n");
        InvalidFileException e = assertThrows(InvalidFileException.class,
                () -> new TrainingConfigReader(PluginRegistry.discover()).read(yaml, List.of()));
        assertTrue(e.getMessage().contains("needs Jackson's YAML module (tools.jackson.dataformat:jackson-dataformat-yaml"),
                e.getMessage());
    }

    @Test
    void predictsTheValidationRows() throws Exception {
        Predictor predictor = Predictor.load(MODEL);
        List<Prediction> all = predictor.predictCsv(Path.of("../iris/validation.csv"));
        assertEquals(30, all.size());
        assertEquals("setosa", all.get(0).label());
        assertTrue(all.get(0).probability() > 0.5);
        // The CSV's first row, given by hand: alone it runs other kernels than in a batch of 30, so the
        // float32 probabilities may differ in the last bits, never in the class.
        Prediction byHand = predictor.predict(5, 3.6, 1.4, 0.2);
        assertEquals(all.get(0).label(), byHand.label());
        assertEquals(all.get(0).probability(), byHand.probability(), 1e-6);
    }
}
