package dev.nnkit.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.TrainingListener;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import java.util.function.BiConsumer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * Faults change nothing but time: a task that fails on its first attempt is retried by Spark, and
 * cached examples that are lost (as with an executor) are rebuilt from the DataFrame; either way
 * the weights are bit for bit those of an undisturbed run. Regression of petal width on the other
 * three iris measurements.
 */
class FaultsTest {
    private static final FrameColumns COLUMNS = FrameColumns.features("sepal_length", "sepal_width", "petal_length")
            .label("petal_width");
    private final SparkSession spark = SparkSessions.local();

    private static TrainingSpec spec() {
        NetworkSpec network = NetworkSpec.builder(3).dense(6).activation("tanh").dense(1).dtype(DType.FLOAT64).build();
        return new TrainingSpec(network, PluginSpec.of("flaky-half-sse"), Reduction.MEAN,
                PluginSpec.of("sgd", "learningRate", 0.01),
                TrainingOptions.defaults().withBatchSize(16).withMaxEpochs(100).withMaxIterations(30).withSeed(3));
    }

    /** The weights after a run; {@code atStep} is called with the examples after every step. */
    private Network train(BiConsumer<Long, SparkExamples> atStep) {
        SparkTrainer trainer = SparkTrainer.create(spark, spec());
        SparkExamples examples = trainer.examples(IrisFrames.frame(spark, 4), COLUMNS);
        trainer.trainer().addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent e) {
                atStep.accept(e.iteration(), examples);
            }
        });
        trainer.fit(examples);
        examples.release();
        return trainer.trainer().network();
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheRunIsUnchanged() {
        Network undisturbed = train((step, examples) -> { });
        int before = FlakyLossProvider.INJECTED.get();
        Network retried = train((step, examples) -> FlakyLossProvider.ARMED.set(step == 10));
        FlakyLossProvider.ARMED.set(false);

        assertThat(FlakyLossProvider.INJECTED.get() - before).as("failures injected").isEqualTo(1);
        assertThat(SparkTrainerTest.relativeDistance(retried, undisturbed)).isZero();
    }

    @Test
    void examplesThatComeBackDifferentStopTheRun() {
        // A feature Spark computes anew, differently, every time it rebuilds the partition.
        var noise = functions.udf((UDF0<Double>) Math::random, DataTypes.DoubleType).asNondeterministic();
        SparkTrainer trainer = SparkTrainer.create(spark, spec());
        SparkExamples examples = trainer.examples(IrisFrames.frame(spark, 4).withColumn("sepal_width", noise.apply()),
                COLUMNS);
        trainer.trainer().addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent e) {
                if (e.iteration() == 5) {
                    examples.blocks.unpersist(true);
                }
            }
        });
        assertThatThrownBy(() -> trainer.fit(examples)).isInstanceOf(SparkTrainingException.class)
                .hasMessageContaining("examples changed when Spark rebuilt them").hasMessageContaining("localCheckpoint");
    }

    @Test
    void lostCachedExamplesAreRebuiltAndTheRunIsUnchanged() {
        Network undisturbed = train((step, examples) -> { });
        Network rebuilt = train((step, examples) -> {
            if (step == 10) {
                examples.blocks.unpersist(true);
            }
        });
        assertThat(SparkTrainerTest.relativeDistance(rebuilt, undisturbed)).isZero();
    }
}
