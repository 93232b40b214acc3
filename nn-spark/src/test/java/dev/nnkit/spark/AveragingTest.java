package dev.nnkit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingResult;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.inject.Trainers;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Parameter averaging: a partition trains on its own as a local trainer with the seed
 * {@code seed + partition} would, so a one-partition run is local training bit for bit; with more
 * partitions the averaged model learns, and the same data and partitioning give the same bits.
 */
class AveragingTest {
    private final SparkSession spark = SparkSessions.local();

    private static TrainingSpec spec(DType dtype, int epochs) {
        return SparkTrainerTest.spec(dtype, "categorical-cross-entropy", PluginSpec.of("adam", "learningRate", 0.01),
                TrainingOptions.defaults().withBatchSize(16).withMaxEpochs(epochs).withSeed(11).withClipNorm(5.0));
    }

    private Network averaged(TrainingSpec spec, org.apache.spark.sql.Dataset<Row> frame, int every, List<Double> losses) {
        return averaged(spec, frame, every, losses, 2);
    }

    private Network averaged(TrainingSpec spec, org.apache.spark.sql.Dataset<Row> frame, int every, List<Double> losses,
                             int depth) {
        SparkTrainer trainer = SparkTrainer.create(spark, spec).averageEvery(every).aggregationDepth(depth);
        SparkExamples examples = trainer.examples(frame, IrisFrames.COLUMNS.classes(IrisFrames.CLASSES));
        TrainingResult result = trainer.fit(examples);
        examples.release();
        losses.addAll(result.epochLosses());
        return trainer.trainer().network();
    }

    @Test
    void onePartitionIsLocalTrainingBitForBit() {
        for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
            TrainingSpec spec = spec(dtype, 3);
            org.apache.spark.sql.Dataset<Row> frame = IrisFrames.frame(spark, 1);
            Trainer local = Trainers.create(spec);
            TrainingResult localResult = local.fit(IrisFrames.local(frame, dtype, 3));
            List<Double> losses = new java.util.ArrayList<>();
            Network network = averaged(spec, frame, 5, losses);
            assertThat(SparkTrainerTest.relativeDistance(network, local.network())).as(dtype.id()).isZero();
            assertThat(losses).as("%s epoch losses", dtype.id()).hasSize(3);
            for (int e = 0; e < 3; e++) {
                assertThat(losses.get(e)).isCloseTo(localResult.epochLosses().get(e), org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    /** Iris through batch norm and dropout: layers whose work spans a batch. */
    private static TrainingSpec batchWideSpec(int epochs) {
        NetworkSpec network = NetworkSpec.builder(4).dense(8).stage(PluginSpec.of("batch-norm")).activation("tanh")
                .stage(PluginSpec.of("dropout", "p", 0.2)).dense(3).activation("softmax").dtype(DType.FLOAT64).build();
        return new TrainingSpec(network, PluginSpec.of("categorical-cross-entropy"), Reduction.MEAN,
                PluginSpec.of("adam", "learningRate", 0.01),
                TrainingOptions.defaults().withBatchSize(16).withMaxEpochs(epochs).withSeed(13));
    }

    @Test
    void batchNormAndDropoutOnOnePartitionAreLocalTrainingBitForBit() {
        TrainingSpec spec = batchWideSpec(3);
        org.apache.spark.sql.Dataset<Row> frame = IrisFrames.frame(spark, 1);
        Trainer local = Trainers.create(spec);
        local.fit(IrisFrames.local(frame, DType.FLOAT64, 3));
        Network averaged = averaged(spec, frame, 5, new java.util.ArrayList<>());
        assertThat(SparkTrainerTest.relativeDistance(averaged, local.network())).isZero();
        for (int b = 0; b < local.network().buffers().size(); b++) {
            Tensor expected = local.network().buffers().get(b).buffer().value();
            Tensor actual = averaged.buffers().get(b).buffer().value();
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i)).as("buffer %s", local.network().buffers().get(b).name()).isEqualTo(expected.get(i));
            }
        }
    }

    @Test
    void batchNormAndDropoutOverPartitionsLearnAndRepeatBitForBit() {
        TrainingSpec spec = batchWideSpec(40);
        org.apache.spark.sql.Dataset<Row> frame = IrisFrames.shuffled(spark, 3, 1);
        List<Double> losses = new java.util.ArrayList<>();
        Network first = averaged(spec, frame, 2, losses);
        Network second = averaged(spec, frame, 2, new java.util.ArrayList<>());
        assertThat(SparkTrainerTest.relativeDistance(first, second)).isZero();
        assertThat(losses.get(39)).isLessThan(losses.get(0) / 2);
    }

    @Test
    void averagedPartitionsLearnAndRepeatBitForBit() {
        TrainingSpec spec = spec(DType.FLOAT64, 60);
        org.apache.spark.sql.Dataset<Row> frame = IrisFrames.frame(spark, 3);
        List<Double> losses = new java.util.ArrayList<>();
        Network first = averaged(spec, frame, 2, losses);
        Network second = averaged(spec, frame, 2, new java.util.ArrayList<>());

        assertThat(losses).hasSize(60);
        assertThat(losses.get(59)).isLessThan(losses.get(0) / 2);
        assertThat(SparkTrainerTest.relativeDistance(first, second)).isZero();
        // The averaged model classifies the flowers it trained on.
        Dataset rows = IrisFrames.local(frame, DType.FLOAT64, 3);
        Tensor p = first.infer(rows.features());
        int right = 0;
        for (int r = 0; r < rows.size(); r++) {
            int best = 0;
            for (int k = 1; k < 3; k++) {
                best = p.get(r * 3 + k) > p.get(r * 3 + best) ? k : best;
            }
            right += rows.targets().get(r * 3 + best) == 1 ? 1 : 0;
        }
        assertThat(right / (double) rows.size()).isGreaterThan(0.9);
    }

    @Test
    void partitionsAreAveragedThroughATreeOfSums() {
        // Depth 1 sends every partition's weights and optimizer state to the driver, which adds them
        // in partition order; depth 3 over 5 partitions adds them in groups of 2 on the executors first.
        TrainingSpec spec = spec(DType.FLOAT64, 8);
        org.apache.spark.sql.Dataset<Row> frame = IrisFrames.frame(spark, 5);
        List<Double> direct = new java.util.ArrayList<>();
        List<Double> tree = new java.util.ArrayList<>();
        Network atDriver = averaged(spec, frame, 3, direct, 1);
        Network inTree = averaged(spec, frame, 3, tree, 3);
        double distance = SparkTrainerTest.relativeDistance(atDriver, inTree);
        assertThat(distance).as("float64 sums added in another grouping").isLessThan(1e-12);
        for (int e = 0; e < direct.size(); e++) {
            assertThat(tree.get(e)).isCloseTo(direct.get(e), org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThat(averaged(spec, frame, 3, new java.util.ArrayList<>(), 3)).satisfies(again ->
                assertThat(SparkTrainerTest.relativeDistance(again, inTree)).as("the tree repeats bit for bit").isZero());
    }

    @Test
    void aResumedRunEndsAsAnUninterruptedOneBitForBit() {
        // Dropout's streams and batch norm's statistics per partition, a checkpoint in mid-epoch.
        TrainingSpec spec = batchWideSpec(4);
        org.apache.spark.sql.Dataset<Row> frame = IrisFrames.shuffled(spark, 3, 1);
        List<dev.nnkit.core.train.TrainingState> states = new java.util.ArrayList<>();
        SparkTrainer whole = SparkTrainer.create(spark, spec).averageEvery(2).checkpointEvery(5, states::add);
        SparkExamples examples = whole.examples(frame, IrisFrames.COLUMNS.classes(IrisFrames.CLASSES));
        TrainingResult uninterrupted = whole.fit(examples);
        dev.nnkit.core.train.TrainingState middle = states.stream().filter(st -> st.batch() > 0).skip(1).findFirst()
                .orElseThrow();

        SparkTrainer resumed = SparkTrainer.create(spark, spec).averageEvery(2);
        TrainingResult result = resumed.resume(examples, middle);
        assertThat(SparkTrainerTest.relativeDistance(resumed.trainer().network(), whole.trainer().network())).isZero();
        assertThat(result.epochLosses()).containsExactlyElementsOf(uninterrupted.epochLosses());
        assertThat(result.iterations()).isEqualTo(uninterrupted.iterations());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SparkTrainer.create(spark, spec).averageEvery(3)
                .resume(examples, middle)).isInstanceOf(SparkTrainingException.class)
                .hasMessageContaining("averaged every 2 steps over 3 partitions");
        examples.release();
    }
}
