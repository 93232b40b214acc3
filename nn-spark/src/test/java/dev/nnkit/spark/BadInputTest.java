package dev.nnkit.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.api.plugin.SettinglessProvider;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginInfo;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingResult;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.inject.Trainers;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * What Spark cannot train on is reported on the driver in one message naming the column,
 * partition, row or plugin, never as a wall of executor stack traces.
 */
class BadInputTest {
    private final SparkSession spark = SparkSessions.local();

    private static TrainingSpec spec(String loss, String... extraStages) {
        NetworkSpec.Builder b = NetworkSpec.builder(4).dense(8);
        for (String s : extraStages) {
            b.stage(PluginSpec.of(s));
        }
        NetworkSpec network = b.activation("tanh").dense(3).activation("softmax").dtype(DType.FLOAT64).build();
        return new TrainingSpec(network, PluginSpec.of(loss), Reduction.MEAN, PluginSpec.of("sgd"),
                TrainingOptions.defaults().withBatchSize(16).withMaxIterations(3));
    }

    private Dataset<Row> iris() {
        return IrisFrames.frame(spark, 3);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Runnable run) {
        return assertThatThrownBy(run::run).isInstanceOf(SparkTrainingException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\tat ").hasSizeLessThan(800));
    }

    @Test
    void aFeatureColumnThatIsNotNumeric() {
        SparkTrainer t = SparkTrainer.create(spark, spec("categorical-cross-entropy"));
        Dataset<Row> frame = iris().withColumn("sepal_width", functions.concat(functions.lit("w"), functions.col("sepal_width")));
        assertRefused(() -> t.examples(frame, IrisFrames.COLUMNS))
                .hasMessageContaining("'sepal_width' is string, not numeric").hasMessageContaining("cast");
    }

    @Test
    void aColumnThatIsNotThere() {
        SparkTrainer t = SparkTrainer.create(spark, spec("categorical-cross-entropy"));
        FrameColumns columns = FrameColumns.features("sepal_length", "sepal_width", "petal_length", "petal_size")
                .label("species");
        assertRefused(() -> t.examples(iris(), columns)).hasMessageContaining("'petal_size' is not in the DataFrame")
                .hasMessageContaining("petal_width");
    }

    @Test
    void aLabelOutsideTheClassesNamesItsPartitionAndRow() {
        SparkTrainer t = SparkTrainer.create(spark, spec("sparse-categorical-cross-entropy"));
        Dataset<Row> frame = iris().withColumn("species", functions.when(functions.col("sepal_length").equalTo(7.7),
                functions.lit(5)).otherwise(functions.lit(1)));
        assertRefused(() -> t.examples(frame, IrisFrames.COLUMNS))
                .hasMessageMatching("Row \\d+ of partition \\d+: label 5.0 in column 'species' is outside the classes 0 to 2.*");
    }

    @Test
    void aClassNameThatIsNotGiven() {
        SparkTrainer t = SparkTrainer.create(spark, spec("categorical-cross-entropy"));
        FrameColumns columns = IrisFrames.COLUMNS.classes(List.of("setosa", "versicolor", "virginia"));
        assertRefused(() -> t.examples(iris(), columns))
                .hasMessageContaining("label 'virginica' in column 'species' is not one of the classes");
    }

    @Test
    void aMissingFeatureValue() {
        SparkTrainer t = SparkTrainer.create(spark, spec("categorical-cross-entropy"));
        Dataset<Row> frame = iris().withColumn("petal_width", functions.when(functions.col("sepal_length").equalTo(7.7),
                functions.lit(null).cast("double")).otherwise(functions.col("petal_width")));
        assertRefused(() -> t.examples(frame, IrisFrames.COLUMNS)).hasMessageContaining("column 'petal_width' is empty");
    }

    @Test
    void noRows() {
        SparkTrainer t = SparkTrainer.create(spark, spec("categorical-cross-entropy"));
        assertRefused(() -> t.examples(iris().limit(0), IrisFrames.COLUMNS)).hasMessageContaining("no rows");
    }

    @Test
    void anEmptyPartitionIsNoProblem() {
        SparkTrainer t = SparkTrainer.create(spark, spec("categorical-cross-entropy"));
        Dataset<Row> iris = iris();
        Dataset<Row> empty = spark.createDataFrame(org.apache.spark.api.java.JavaSparkContext
                .fromSparkContext(spark.sparkContext()).parallelize(List.<Row>of(), 1), iris.schema());
        Dataset<Row> frame = iris.union(empty);
        SparkExamples examples = t.examples(frame, IrisFrames.COLUMNS);
        assertThat(examples.partitions()).isGreaterThan(3);
        TrainingResult result = t.fit(examples);
        assertThat(result.iterations()).isEqualTo(3);
    }

    @Test
    void aPluginTheExecutorsLack() {
        // Known to the driver's registry only: the executors discover plugins on their own class path.
        PluginRegistry discovered = PluginRegistry.discover();
        List<PluginProvider<?, ?>> driverPlugins = new ArrayList<>();
        for (PluginInfo plugin : discovered.plugins()) {
            driverPlugins.add(discovered.provider(plugin.kind(), plugin.id()));
        }
        driverPlugins.add(new DriverOnlyLoss());
        SparkTrainer t = SparkTrainer.create(spark, spec("driver-only-sse"), PluginRegistry.of(driverPlugins));
        SparkExamples examples = t.examples(iris(), IrisFrames.COLUMNS);
        assertRefused(() -> t.fit(examples)).hasMessageContaining("driver-only-sse").hasMessageContaining("--jars");
    }

    @Test
    void aLayerKeepingEachPartitionsStatisticsIsRefusedInSynchronousTraining() {
        SparkTrainer t = SparkTrainer.create(spark, spec("categorical-cross-entropy", "part-mean"));
        SparkExamples examples = t.examples(iris(), IrisFrames.COLUMNS);
        assertRefused(() -> t.fit(examples)).hasMessageContaining("different buffers ('1.mean')")
                .hasMessageContaining("PassContext.sumOverBatch").hasMessageContaining("--average-every");
    }

    @Test
    void aLayerDrawingInSequenceIsRefusedInSynchronousTraining() {
        // Local training takes it; a split batch cannot replay its draws, so the executors say so once.
        Trainers.create(spec("categorical-cross-entropy", "sequential-noise")).fit(IrisFrames.local(iris(), DType.FLOAT64, 3));
        SparkTrainer t = SparkTrainer.create(spark, spec("categorical-cross-entropy", "sequential-noise"));
        SparkExamples examples = t.examples(iris(), IrisFrames.COLUMNS);
        double[] before = t.trainer().network().parameters().get(0).parameter().value().toDoubleArray();
        assertRefused(() -> t.fit(examples)).hasMessageContaining("'sequential-noise'")
                .hasMessageContaining("context.uniform(row, index)").hasMessageContaining("parameter averaging");
        assertThat(t.trainer().network().parameters().get(0).parameter().value().toDoubleArray()).isEqualTo(before);
    }

    /** A loss registered with no services file. */
    static final class DriverOnlyLoss extends SettinglessProvider<Loss> implements LossProvider<NoConfig> {
        DriverOnlyLoss() {
            super("driver-only-sse", "ℓ = ½ Σ (ŷ − y)²");
        }

        @Override
        public Loss create(NoConfig config) {
            return new Loss() {
                @Override
                public double sampleLoss(double[] prediction, double[] target, double[] gradient) {
                    return 0;
                }

                @Override
                public boolean classifies() {
                    return true;
                }
            };
        }
    }
}
