package dev.nnkit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.inject.Trainers;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * A convolutional network (conv2d, max pooling, flatten, dense) trains on Spark as locally: images
 * arrive as a column of pixel arrays, shaped by the network's input shape [1, 6, 6].
 */
class ConvolutionTest {
    private static final int N = 60;
    private final SparkSession spark = SparkSessions.local();

    @Test
    void aConvolutionalNetworkMatchesTheLocalTrainer() {
        NetworkSpec network = NetworkSpec.builder(Shape.of(1, 6, 6))
                .stage(PluginSpec.of("conv2d", "filters", 3, "kernel", List.of(3, 3)))
                .activation("relu")
                .stage(PluginSpec.of("max-pool2d", "kernel", List.of(2, 2)))
                .stage(PluginSpec.of("flatten"))
                .dense(3).dtype(DType.FLOAT64).build();
        TrainingSpec spec = new TrainingSpec(network, PluginSpec.of("sparse-categorical-cross-entropy-logits"),
                Reduction.MEAN, PluginSpec.of("adam", "learningRate", 0.01),
                TrainingOptions.defaults().withBatchSize(8).withMaxEpochs(100).withMaxIterations(25).withSeed(3));

        // Each image is a bright bar: a row (class 0), a column (class 1) or the diagonal (class 2), with noise.
        double[] pixels = new double[N * 36];
        double[] labels = new double[N];
        List<Row> rows = new ArrayList<>();
        java.util.Random random = new java.util.Random(9);
        for (int i = 0; i < N; i++) {
            int k = i % 3;
            int at = random.nextInt(6);
            double[] image = new double[36];
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    boolean bar = k == 0 ? y == at : k == 1 ? x == at : x == y;
                    image[y * 6 + x] = (bar ? 1 : 0) + 0.1 * random.nextGaussian();
                }
            }
            System.arraycopy(image, 0, pixels, i * 36, 36);
            labels[i] = k;
            rows.add(RowFactory.create(image, k));
        }
        StructType schema = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.DoubleType), false)
                .add("label", DataTypes.IntegerType, false);
        org.apache.spark.sql.Dataset<Row> frame = spark.createDataFrame(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 3), schema);

        Trainer local = Trainers.create(spec);
        local.fit(new Dataset(Tensor.of(DType.FLOAT64, Shape.of(N, 1, 6, 6), pixels),
                Tensor.of(DType.FLOAT64, Shape.of(N, 1), labels)));
        SparkTrainer distributed = SparkTrainer.create(spark, spec);
        SparkExamples examples = distributed.examples(frame, FrameColumns.vector("pixels").label("label"));
        distributed.fit(examples);
        examples.release();

        assertThat(SparkTrainerTest.relativeDistance(distributed.trainer().network(), local.network()))
                .isLessThanOrEqualTo(1e-12);
        assertThat(SparkTrainerTest.relativeDistance(distributed.trainer().network(), Trainers.create(spec).network()))
                .as("training moved the weights").isGreaterThan(1e-3);
    }
}
