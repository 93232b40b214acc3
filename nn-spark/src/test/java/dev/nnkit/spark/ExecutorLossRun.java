package dev.nnkit.spark;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.TrainingListener;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * One run of {@link ExecutorLossTest} in a JVM of its own (a JVM holds one SparkContext): a Spark
 * standalone cluster of two executor processes ({@code local-cluster}), synchronous training of
 * iris petal widths undisturbed, then again with one executor's JVM ended after step 10. Prints
 * the relative distance between the two runs' weights and whether an executor was ended.
 * Arguments: the kill directory, then the executors' JVM options.
 */
public final class ExecutorLossRun {
    private ExecutorLossRun() {
    }

    public static void main(String[] args) throws Exception {
        Path killDir = Path.of(args[0]);
        SparkSession spark = SparkSession.builder()
                .master("local-cluster[2,1,1024]")
                .appName("nn-spark executor loss")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", args.length > 1 ? args[1] : "")
                .config("spark.executorEnv.NN_KILL_DIR", killDir.toString())
                .config("spark.task.maxFailures", "4")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        Network undisturbed = train(spark, killDir, false);
        Network disturbed = train(spark, killDir, true);
        System.out.printf(Locale.ROOT, "killed an executor: %s%ndistance %s%n", Files.exists(killDir.resolve("killed")),
                SparkTrainerTest.relativeDistance(disturbed, undisturbed));
        spark.stop();
    }

    private static Network train(SparkSession spark, Path killDir, boolean kill) throws Exception {
        NetworkSpec network = NetworkSpec.builder(3).dense(6).activation("tanh").dense(1).dtype(DType.FLOAT64).build();
        TrainingSpec spec = new TrainingSpec(network, PluginSpec.of("executor-killing-half-sse"), Reduction.MEAN,
                PluginSpec.of("sgd", "learningRate", 0.01),
                TrainingOptions.defaults().withBatchSize(16).withMaxEpochs(100).withMaxIterations(30).withSeed(3));
        SparkTrainer trainer = SparkTrainer.create(spark, spec);
        SparkExamples examples = trainer.examples(IrisFrames.frame(spark, 4), FrameColumns.features("sepal_length",
                "sepal_width", "petal_length").label("petal_width"));
        trainer.trainer().addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent e) {
                if (kill && e.iteration() == 10) {
                    try {
                        Files.createFile(killDir.resolve("armed"));
                    } catch (java.io.IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                }
            }
        });
        trainer.fit(examples);
        examples.release();
        return trainer.trainer().network();
    }
}
