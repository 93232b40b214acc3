package dev.nnkit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.inject.Trainers;
import java.nio.file.Path;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forms a DataFrame's examples come in train alike: named columns, a Spark ML vector column, a
 * numeric array column, and the same rows read back from Parquet give the same weights bit for
 * bit; a weight column weighs examples as the local trainer's sample weights do.
 */
class FrameFormsTest {
    private final SparkSession spark = SparkSessions.local();
    @TempDir
    Path dir;

    private static TrainingSpec spec() {
        return SparkTrainerTest.spec(DType.FLOAT64, "categorical-cross-entropy", PluginSpec.of("adam", "learningRate", 0.01),
                TrainingOptions.defaults().withBatchSize(16).withMaxEpochs(100).withMaxIterations(20).withSeed(5));
    }

    private Network train(org.apache.spark.sql.Dataset<Row> frame, FrameColumns columns) {
        SparkTrainer trainer = SparkTrainer.create(spark, spec());
        SparkExamples examples = trainer.examples(frame, columns.classes(IrisFrames.CLASSES));
        trainer.fit(examples);
        examples.release();
        return trainer.trainer().network();
    }

    @Test
    void namedColumnsVectorsArraysAndParquetTrainAlike() {
        org.apache.spark.sql.Dataset<Row> frame = IrisFrames.frame(spark, 3);
        Network named = train(frame, IrisFrames.COLUMNS);

        org.apache.spark.sql.Dataset<Row> vectors = new VectorAssembler()
                .setInputCols(new String[] {"sepal_length", "sepal_width", "petal_length", "petal_width"})
                .setOutputCol("features").transform(frame);
        assertThat(SparkTrainerTest.relativeDistance(train(vectors, FrameColumns.vector("features").label("species")), named))
                .as("Spark ML vectors").isZero();

        org.apache.spark.sql.Dataset<Row> arrays = frame.withColumn("measurements", functions.array(
                functions.col("sepal_length"), functions.col("sepal_width"), functions.col("petal_length"),
                functions.col("petal_width")));
        assertThat(SparkTrainerTest.relativeDistance(train(arrays, FrameColumns.vector("measurements").label("species")),
                named)).as("numeric arrays").isZero();

        String parquet = dir.resolve("iris.parquet").toString();
        frame.coalesce(1).write().parquet(parquet);
        org.apache.spark.sql.Dataset<Row> read = spark.read().parquet(parquet);
        assertThat(SparkTrainerTest.relativeDistance(train(read.repartition(1), IrisFrames.COLUMNS),
                train(IrisFrames.frame(spark, 1), IrisFrames.COLUMNS))).as("Parquet").isZero();
    }

    @Test
    void aWeightColumnWeighsExamplesAsTheLocalTrainerDoes() {
        org.apache.spark.sql.Dataset<Row> frame = IrisFrames.frame(spark, 3)
                .withColumn("w", functions.when(functions.col("species").equalTo("virginica"), 3.0).otherwise(0.5));
        Network distributed = train(frame, IrisFrames.COLUMNS.weight("w"));

        Dataset rows = IrisFrames.local(frame, DType.FLOAT64, 3);
        double[] weights = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            weights[r] = rows.targets().get(r * 3 + 2) == 1 ? 3.0 : 0.5;
        }
        Trainer local = Trainers.create(spec());
        local.fit(new Dataset(rows.features(), rows.targets(), weights));
        Tensor unweighted = train(IrisFrames.frame(spark, 3), IrisFrames.COLUMNS).parameters().get(0).parameter().value();

        assertThat(SparkTrainerTest.relativeDistance(distributed, local.network())).isLessThanOrEqualTo(1e-12);
        assertThat(distributed.parameters().get(0).parameter().value().get(0)).isNotEqualTo(unweighted.get(0));
    }
}
