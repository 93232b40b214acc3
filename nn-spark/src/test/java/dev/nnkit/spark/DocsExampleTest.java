package dev.nnkit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.train.TrainingResult;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.io.config.TrainingConfigReader;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/spark.md's "From Java" code runs, and the page shows exactly the code between the markers below. */
class DocsExampleTest {
    private static final Path PAGE = Path.of("..", "docs", "spark.md");
    private static final Path SOURCE = Path.of("src", "test", "java", "dev", "nnkit", "spark", "DocsExampleTest.java");
    @TempDir
    Path dir;

    @Test
    void theCodeTrainsAndSavesAModel() throws IOException {
        Path config = dir.resolve("iris.json");
        // examples/iris.json, for 10 epochs instead of 150 (a Spark step costs a job)
        Files.writeString(config, Files.readString(Path.of("..", "examples", "iris.json"))
                .replace("\"maxEpochs\": 150", "\"maxEpochs\": 10"));
        String csv = IrisFrames.TRAIN.toString();
        Path model = dir.resolve("iris-model");
        SparkSessions.local(); // what getOrCreate() finds, as spark-submit would have made it
        // docs/spark.md begin
        SparkSession spark = SparkSession.builder().getOrCreate();
        TrainingSpec spec = new TrainingConfigReader(PluginRegistry.discover()).read(config).toSpec(4);
        Dataset<Row> frame = spark.read().option("header", "true").option("inferSchema", "true").csv(csv);

        FrameColumns columns = FrameColumns.features("sepal_length", "sepal_width", "petal_length", "petal_width")
                .label("species");                       // or FrameColumns.vector("features").label("label").weight("w")
        Optional<Normalizer> normalizer = SparkNormalizers.fit(frame, columns, "standardize");   // one distributed pass

        SparkTrainer trainer = SparkTrainer.create(spark, spec);     // .averageEvery(50) for parameter averaging
        SparkExamples examples = trainer.examples(frame, columns, normalizer);   // checked, cached on the executors
        TrainingResult result = trainer.fit(examples);
        ModelFiles.save(Model.trained(trainer.trainer(), spec.loss(), normalizer,
                new Model.Labels(columns.features(), "species", examples.classes())), model);
        // docs/spark.md end
        assertThat(spark).isSameAs(SparkSessions.local());
        assertThat(result.epochs()).isEqualTo(10);
        assertThat(ModelFiles.load(model, PluginRegistry.discover(), Safetensors.NonFinite.REJECT).labels().classes())
                .containsExactly("setosa", "versicolor", "virginica");
    }

    @Test
    void thePageShowsThatCode() throws IOException {
        List<String> source = Files.readAllLines(SOURCE);
        int from = source.indexOf("        // docs/spark.md begin");
        int to = source.indexOf("        // docs/spark.md end");
        String code = String.join("\n", source.subList(from + 1, to).stream()
                .map(l -> l.length() >= 8 ? l.substring(8) : l).toList())
                .replace("read(config)", "read(Path.of(\"iris.json\"))")
                .replace(".csv(csv)", ".csv(\"hdfs:///data/iris.csv\")")
                .replace(", model);", ", Path.of(\"iris-model\"));");
        String page = Files.readString(PAGE);
        int start = page.indexOf("```java\n", page.indexOf("## From Java")) + "```java\n".length();
        assertThat(page.substring(start, page.indexOf("\n```", start))).isEqualTo(code);
    }
}
