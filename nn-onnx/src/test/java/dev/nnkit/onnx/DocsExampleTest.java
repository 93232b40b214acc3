package dev.nnkit.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.io.data.Standardizer;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.model.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/export.md's Java code runs, and the page shows exactly the code between the markers below. */
class DocsExampleTest {
    private static final Path PAGE = Path.of("..", "docs", "export.md");
    private static final Path SOURCE = Path.of("src", "test", "java", "dev", "nnkit", "onnx", "DocsExampleTest.java");

    @TempDir
    Path dir;

    @Test
    void theCodeExportsAModelAndOnnxRuntimePredictsWithIt() throws Exception {
        Tensor raw = Models.inputs(DType.FLOAT32, Shape.of(30, 4), 1, 3);
        Model saved = Models.model(Models.network(NetworkSpec.builder(4).dense(8).activation("tanh").dense(3).build(), 1),
                "softmax", List.of("setosa", "versicolor", "virginica"), Optional.of(Standardizer.fit(raw)));
        Path modelDir = dir.resolve("iris-model");
        ModelFiles.save(saved, modelDir);
        Path onnxFile = dir.resolve("iris.onnx");
        float[][] probabilities;
        long[] label;
        String classes;
        // docs/export.md begin
        Model model = Predictor.load(modelDir).model();
        OnnxExporter.discover().write(model, onnxFile);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnxFile.toString());
             OnnxTensor features = OnnxTensor.createTensor(env, new float[][] {{5.1f, 3.5f, 1.4f, 0.2f}});
             OrtSession.Result result = session.run(Map.of("features", features))) {
            probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();   // [1][3]
            label = (long[]) result.get("label").orElseThrow().getValue();                     // [1]
            classes = session.getMetadata().getCustomMetadata().get("classes");     // ["setosa","versicolor","virginica"]
        }
        // docs/export.md end
        Tensor expected = saved.predict(Tensor.of(DType.FLOAT32, Shape.of(1, 4), 5.1f, 3.5f, 1.4f, 0.2f));
        for (int c = 0; c < 3; c++) {
            assertThat((double) probabilities[0][c]).isCloseTo(expected.get(c), org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(label[0]).isEqualTo(dev.nnkit.core.train.Metrics.predictedClass(expected, 0, 3));
        assertThat(classes).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
    }

    @Test
    void thePageShowsThatCode() throws IOException {
        List<String> source = Files.readAllLines(SOURCE);
        int from = source.indexOf("        // docs/export.md begin");
        int to = source.indexOf("        // docs/export.md end");
        String code = String.join("\n", source.subList(from + 1, to).stream()
                .map(l -> l.length() >= 8 ? l.substring(8) : l).toList())
                .replace("probabilities = ", "float[][] probabilities = ").replace("label = ", "long[] label = ")
                .replace("classes = ", "String classes = ");
        String page = Files.readString(PAGE);
        int start = page.indexOf("```java\n", page.indexOf("## From Java")) + "```java\n".length();
        assertThat(page.substring(start, page.indexOf("\n```", start))).isEqualTo(code);
    }
}
