package com.example.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.io.model.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application end to end on the iris example: trained, saved, loaded, right on the test rows. */
class IrisAppTest {
    static final Path IRIS = Path.of("..", "iris");

    @Test
    void trainsSavesLoadsAndPredicts(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("iris-model");
        String out = IrisApp.run(IRIS.resolve("train.csv"), IRIS.resolve("validation.csv"), model);
        System.out.println(out);
        assertTrue(out.startsWith("5.1, 3.5, 1.4, 0.2: setosa (p = 0.9"), out);
        Matcher m = Pattern.compile("test accuracy (\\d+)/30").matcher(out);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 27, out);
        assertTrue(Files.isRegularFile(model.resolve("model.json")) && Files.isRegularFile(model.resolve("model.safetensors")));
        // The saved model serves on its own: a fresh predictor, the class order of the training file.
        assertTrue(Predictor.load(model).classes().contains("virginica"));
    }
}
