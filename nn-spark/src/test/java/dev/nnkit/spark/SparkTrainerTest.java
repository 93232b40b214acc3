package dev.nnkit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
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
 * Training on Spark ({@code local[2]}) against the local trainer on the same rows in the same
 * order: after 50 steps the weights agree within 1e-12 (float64) and 1e-6 (float32), relative to
 * each parameter's largest magnitude, for full batches and for shuffled mini-batches, with and
 * without dropout.
 */
class SparkTrainerTest {
    private static final int STEPS = 50;
    private final SparkSession spark = SparkSessions.local();

    static TrainingSpec spec(DType dtype, String loss, PluginSpec optimizer, TrainingOptions options) {
        return spec(dtype, loss, optimizer, options, -1);
    }

    /** The same network with dropout of {@code p} after the hidden layer; none when p is negative. */
    static TrainingSpec spec(DType dtype, String loss, PluginSpec optimizer, TrainingOptions options, double p) {
        return spec(dtype, loss, optimizer, options, p >= 0 ? List.of(PluginSpec.of("dropout", "p", p)) : List.of());
    }

    /** The same network with {@code stages} after the hidden layer's activation. */
    static TrainingSpec spec(DType dtype, String loss, PluginSpec optimizer, TrainingOptions options,
                             List<PluginSpec> stages) {
        NetworkSpec.Builder b = NetworkSpec.builder(4).dense(8).activation("tanh");
        stages.forEach(b::stage);
        NetworkSpec network = b.dense(3).activation(loss.endsWith("logits") ? "identity" : "softmax").dtype(dtype).build();
        return new TrainingSpec(network, PluginSpec.of(loss), Reduction.MEAN, optimizer, options);
    }

    private static TrainingOptions steps(int batchSize) {
        return TrainingOptions.defaults().withBatchSize(batchSize).withMaxEpochs(1000).withMaxIterations(STEPS).withSeed(7);
    }

    @Test
    void shuffledMiniBatchesInFloat64MatchTheLocalTrainer() {
        TrainingSpec spec = spec(DType.FLOAT64, "categorical-cross-entropy", PluginSpec.of("adam", "learningRate", 0.01),
                steps(16));
        assertThat(distance(spec, 3, 3)).isLessThanOrEqualTo(1e-12);
    }

    @Test
    void fullBatchesInFloat64MatchTheLocalTrainer() {
        TrainingSpec spec = spec(DType.FLOAT64, "categorical-cross-entropy", PluginSpec.of("rmsprop", "learningRate", 0.01),
                steps(Integer.MAX_VALUE).withShuffle(false).withPenalties(0, 1e-3).withClipNorm(1.0));
        assertThat(distance(spec, 4, 3)).isLessThanOrEqualTo(1e-12);
    }

    @Test
    void shuffledMiniBatchesInFloat32MatchTheLocalTrainer() {
        TrainingSpec spec = spec(DType.FLOAT32, "sparse-categorical-cross-entropy-logits", PluginSpec.of("sgd", "learningRate", 0.01),
                steps(16));
        assertThat(distance(spec, 4, 1)).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void fullBatchesInFloat32MatchTheLocalTrainer() {
        TrainingSpec spec = spec(DType.FLOAT32, "categorical-cross-entropy", PluginSpec.of("sgd", "learningRate", 0.05),
                steps(Integer.MAX_VALUE).withShuffle(false).withPenalties(0, 1e-3));
        assertThat(distance(spec, 3, 3)).isLessThanOrEqualTo(1e-6);
    }

    /**
     * Dropout's masks are drawn per row of the whole batch (the driver draws each step's keys from
     * its stages' streams), so a row split onto any partition is dropped as locally.
     */
    @Test
    void dropoutInFloat64MatchesTheLocalTrainer() {
        TrainingSpec spec = spec(DType.FLOAT64, "categorical-cross-entropy", PluginSpec.of("adam", "learningRate", 0.01),
                steps(16), 0.3);
        assertThat(distance(spec, 3, 3)).isLessThanOrEqualTo(1e-12);
        // Not a dropout that drops nothing: the same run without it ends elsewhere.
        TrainingSpec none = spec(DType.FLOAT64, "categorical-cross-entropy", PluginSpec.of("adam", "learningRate", 0.01),
                steps(16), 0);
        Trainer withDropout = Trainers.create(spec);
        Trainer without = Trainers.create(none);
        org.apache.spark.sql.Dataset<Row> frame = IrisFrames.frame(spark, 3);
        withDropout.fit(IrisFrames.local(frame, DType.FLOAT64, 3));
        without.fit(IrisFrames.local(frame, DType.FLOAT64, 3));
        assertThat(relativeDistance(withDropout.network(), without.network())).isGreaterThan(0.01);
    }

    @Test
    void dropoutInFloat32MatchesTheLocalTrainer() {
        TrainingSpec spec = spec(DType.FLOAT32, "sparse-categorical-cross-entropy-logits", PluginSpec.of("sgd", "learningRate", 0.05),
                steps(Integer.MAX_VALUE).withShuffle(false), 0.5);
        assertThat(distance(spec, 4, 1)).isLessThanOrEqualTo(1e-6);
    }

    /**
     * Batch norm takes its statistics over the whole batch (each step runs in rounds, one per
     * whole-batch sum), and the driver's network gets the running statistics back: the weights and
     * the buffers equal the local trainer's.
     */
    @Test
    void batchNormInFloat64MatchesTheLocalTrainer() {
        TrainingSpec spec = spec(DType.FLOAT64, "categorical-cross-entropy", PluginSpec.of("adam", "learningRate", 0.01),
                steps(16), List.of(PluginSpec.of("batch-norm"), PluginSpec.of("dropout", "p", 0.2)));
        assertThat(distance(spec, 3, 3)).isLessThanOrEqualTo(1e-12);
    }

    @Test
    void batchNormInFloat32MatchesTheLocalTrainer() {
        TrainingSpec spec = spec(DType.FLOAT32, "categorical-cross-entropy", PluginSpec.of("sgd", "learningRate", 0.05),
                steps(Integer.MAX_VALUE).withShuffle(false), List.of(PluginSpec.of("batch-norm", "momentum", 0.2)));
        assertThat(distance(spec, 4, 3)).isLessThanOrEqualTo(1e-6);
    }

    /**
     * A run resumed from a mid-run checkpoint ends with the uninterrupted run's bits: float32 (whose
     * tree of sums rounds at every level), 3 partitions, dropout's keys from the driver's streams
     * and batch norm's running statistics from the executors.
     */
    @Test
    void aResumedRunEndsWithTheSameBits() {
        TrainingSpec spec = spec(DType.FLOAT32, "categorical-cross-entropy", PluginSpec.of("adam", "learningRate", 0.01),
                steps(16).withMaxIterations(24), List.of(PluginSpec.of("batch-norm"), PluginSpec.of("dropout", "p", 0.3)));
        org.apache.spark.sql.Dataset<Row> frame = IrisFrames.frame(spark, 3);
        SparkTrainer whole = SparkTrainer.create(spark, spec);
        List<dev.nnkit.core.train.TrainingState> saved = new java.util.ArrayList<>();
        whole.checkpointEvery(10, saved::add);
        SparkExamples examples = whole.examples(frame, IrisFrames.COLUMNS);
        whole.fit(examples);
        assertThat(saved).hasSizeGreaterThanOrEqualTo(2);

        SparkTrainer resumed = SparkTrainer.create(spark, spec);
        resumed.resume(resumed.examples(frame, IrisFrames.COLUMNS), saved.get(0));
        Network a = whole.trainer().network();
        Network b = resumed.trainer().network();
        for (int p = 0; p < a.parameters().size(); p++) {
            assertThat(b.parameters().get(p).parameter().value().toDoubleArray()).as(a.parameters().get(p).name())
                    .isEqualTo(a.parameters().get(p).parameter().value().toDoubleArray());
        }
        for (int k = 0; k < a.buffers().size(); k++) {
            assertThat(b.buffers().get(k).buffer().value().toDoubleArray()).as(a.buffers().get(k).name())
                    .isEqualTo(a.buffers().get(k).buffer().value().toDoubleArray());
        }
    }

    /**
     * Adam and RMSprop divide each gradient by its own running size, which magnifies the rounding
     * of gradients that nearly cancel: in float32 the local trainer's own result moves by about
     * 1e-3 when its sums are rounded differently (float64 against float32, measured here). Split
     * into partitions, the sums round differently too; the test holds that difference to a
     * hundredth of the local trainer's own float32 sensitivity.
     */
    @Test
    void float32WithAdaptiveRatesStaysWithinTheLocalTrainersOwnRounding() {
        TrainingSpec spec = spec(DType.FLOAT32, "categorical-cross-entropy", PluginSpec.of("adam", "learningRate", 0.01),
                steps(16));
        org.apache.spark.sql.Dataset<Row> frame = IrisFrames.frame(spark, 4);
        Trainer local32 = Trainers.create(spec);
        local32.fit(IrisFrames.local(frame, DType.FLOAT32, 3));
        TrainingSpec spec64 = spec(DType.FLOAT64, "categorical-cross-entropy", PluginSpec.of("adam", "learningRate", 0.01),
                steps(16));
        Trainer local64 = Trainers.create(spec64);
        local64.fit(IrisFrames.local(frame, DType.FLOAT64, 3));
        double ownRounding = relativeDistance(local32.network(), local64.network());

        assertThat(ownRounding).isGreaterThan(1e-4);
        assertThat(distance(spec, 4, 3)).isLessThanOrEqualTo(ownRounding / 100);
    }

    /** The largest relative difference between the weights after Spark's run and after the local trainer's. */
    private double distance(TrainingSpec spec, int partitions, int targetWidth) {
        org.apache.spark.sql.Dataset<Row> frame = IrisFrames.frame(spark, partitions);
        Trainer local = Trainers.create(spec);
        TrainingResult localResult = local.fit(IrisFrames.local(frame, spec.network().dtype(), targetWidth));

        SparkTrainer distributed = SparkTrainer.create(spark, spec);
        SparkExamples examples = distributed.examples(frame, IrisFrames.COLUMNS.classes(IrisFrames.CLASSES));
        TrainingResult result = distributed.fit(examples);
        examples.release();

        assertThat(result.iterations()).isEqualTo(STEPS).isEqualTo(localResult.iterations());
        assertThat(examples.partitions()).isEqualTo(partitions);
        double loss = result.epochLosses().get(0);
        double localLoss = localResult.epochLosses().get(0);
        assertThat(Math.abs(loss - localLoss) / localLoss).as("the first epoch's loss").isLessThanOrEqualTo(1e-6);
        double buffers = 0;
        for (int b = 0; b < local.network().buffers().size(); b++) {
            Tensor expected = local.network().buffers().get(b).buffer().value();
            Tensor actual = distributed.trainer().network().buffers().get(b).buffer().value();
            for (int i = 0; i < expected.size(); i++) {
                buffers = Math.max(buffers, Math.abs(actual.get(i) - expected.get(i)) / Math.max(1, Math.abs(expected.get(i))));
            }
        }
        assertThat(buffers).as("the buffers (running statistics)").isLessThanOrEqualTo(
                spec.network().dtype() == DType.FLOAT64 ? 1e-12 : 1e-6);
        return relativeDistance(distributed.trainer().network(), local.network());
    }

    /** The largest difference between two networks' parameters, relative to each parameter's largest magnitude. */
    static double relativeDistance(Network actual, Network expected) {
        double worstRelative = 0;
        for (int p = 0; p < expected.parameters().size(); p++) {
            Tensor a = actual.parameters().get(p).parameter().value();
            Tensor v = expected.parameters().get(p).parameter().value();
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < v.size(); i++) {
                scale = Math.max(scale, Math.abs(v.get(i)));
                worst = Math.max(worst, Math.abs(a.get(i) - v.get(i)));
            }
            worstRelative = Math.max(worstRelative, worst / scale);
        }
        return worstRelative;
    }

    @Test
    void trainingMovesTheWeights() {
        // The comparison above would pass if neither trainer moved anything.
        TrainingSpec spec = spec(DType.FLOAT64, "categorical-cross-entropy", PluginSpec.of("adam", "learningRate", 0.01),
                steps(16));
        SparkTrainer distributed = SparkTrainer.create(spark, spec);
        Network untrained = Trainers.create(spec).network();
        TrainingResult result = distributed.fit(distributed.examples(IrisFrames.frame(spark, 2), IrisFrames.COLUMNS));
        assertThat(result.epochLosses().get(result.epochLosses().size() - 1)).isLessThan(result.epochLosses().get(0));
        double moved = 0;
        for (int p = 0; p < untrained.parameters().size(); p++) {
            Tensor a = distributed.trainer().network().parameters().get(p).parameter().value();
            Tensor b = untrained.parameters().get(p).parameter().value();
            for (int i = 0; i < a.size(); i++) {
                moved = Math.max(moved, Math.abs(a.get(i) - b.get(i)));
            }
        }
        assertThat(moved).isGreaterThan(0.05);
    }
}
