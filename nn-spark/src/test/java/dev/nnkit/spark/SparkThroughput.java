package dev.nnkit.spark;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingListener;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.inject.Trainers;
import dev.nnkit.io.idx.IdxReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * bench/spark.sh: the Fashion-MNIST MLP of examples/fashion-mnist.json (784-256-128-10, Adam, batch
 * 128), epochs on Spark {@code local[2]} against the local trainer on the same 60,000 images, and
 * how a Spark step's time divides between nnkit's computing and Spark's scheduling. Not a test:
 * it needs the dataset-fashion-mnist package and a quiet machine.
 */
public final class SparkThroughput {
    private static final Path IMAGES = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
    private static final Path LABELS = Path.of("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz");

    private SparkThroughput() {
    }

    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int averageEvery = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        TrainingSpec spec = spec(epochs);
        Float32Tensor images = IdxReader.read(IMAGES);
        Float32Tensor labels = IdxReader.read(LABELS);
        int n = labels.shape().dim(0);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = images.data()[i] / 255f;
        }
        Dataset local = new Dataset(new Float32Tensor(Shape.of(n, 784), x), Tensor.of(DType.FLOAT32, Shape.of(n, 1),
                IntStream.range(0, n).mapToDouble(i -> labels.data()[i]).toArray()));
        Trainer localTrainer = Trainers.create(spec);
        List<Double> localSeconds = epochSeconds(localTrainer::addListener, t -> localTrainer.fit(local));

        SparkSession spark = SparkSession.builder().master("local[" + partitions + "]").appName("nn-spark throughput")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        StructType schema = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.FloatType), false)
                .add("label", DataTypes.IntegerType, false);
        List<Integer> parts = IntStream.range(0, partitions).boxed().toList();
        // Each partition reads its share of the IDX files itself, as executors read their splits.
        var rows = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(parts, partitions)
                .flatMap(p -> rowsOf(p, partitions));
        org.apache.spark.sql.Dataset<Row> frame = spark.createDataFrame(rows, schema);
        SparkTrainer distributed = SparkTrainer.create(spark, spec);
        if (averageEvery > 0) {
            distributed.averageEvery(averageEvery);
        }
        long t0 = System.nanoTime();
        SparkExamples examples = distributed.examples(frame, FrameColumns.vector("pixels").label("label"));
        double readSeconds = (System.nanoTime() - t0) / 1e9;
        List<Double> sparkSeconds = epochSeconds(distributed, t -> distributed.fit(examples));
        int steps = (n + 127) / 128;
        double localEpoch = median(localSeconds.subList(1, localSeconds.size()));
        double sparkEpoch = median(sparkSeconds.subList(1, sparkSeconds.size()));
        long parameters = distributed.trainer().network().parameterCount();
        System.out.printf(Locale.ROOT, "examples %d in %d partitions (read and cached in %.1f s), %d steps an epoch%n",
                n, partitions, readSeconds, steps);
        System.out.printf(Locale.ROOT, "local trainer      epochs %s  median after the first %.2f s  %,.0f samples/s%n",
                format(localSeconds), localEpoch, n / localEpoch);
        System.out.printf(Locale.ROOT, (averageEvery > 0 ? "averaging every " + averageEvery + " steps%n" : "synchronous%n")
                + "Spark local[%d]     epochs %s  median after the first %.2f s  %,.0f samples/s%n",
                partitions, format(sparkSeconds), sparkEpoch, n / sparkEpoch);
        System.out.printf(Locale.ROOT, "ratio Spark/local  %.3f%n", localEpoch / sparkEpoch);
        if (averageEvery == 0) {
            System.out.printf(Locale.ROOT, "per step           local %.2f ms, Spark %.2f ms; %,d parameters = %,d bytes each"
                    + " way per partition%n", 1e3 * localEpoch / steps, 1e3 * sparkEpoch / steps, parameters, parameters * 4);
        } else {
            long perEpoch = ((n + partitions - 1) / partitions + 127) / 128;
            long rounds = (perEpoch + averageEvery - 1) / averageEvery;
            System.out.printf(Locale.ROOT, "per round          %d rounds an epoch of %d steps a partition, %.1f ms a round;"
                    + " weights and Adam's 2 slots: %,d bytes each way per partition%n", rounds, perEpoch,
                    1e3 * sparkEpoch / rounds, parameters * (4 + 2 * 8));
        }
        System.out.printf(Locale.ROOT, "epoch losses       local %s%n                   Spark %s%n",
                distributedLosses(localLosses), distributedLosses(sparkLosses));
        spark.stop();
    }

    private static final List<Double> localLosses = new ArrayList<>();
    private static final List<Double> sparkLosses = new ArrayList<>();

    static TrainingSpec spec(int epochs) {
        NetworkSpec network = NetworkSpec.builder(784)
                .stage(PluginSpec.of("dense", "units", 256, "weightInit", "he-uniform")).activation("relu")
                .stage(PluginSpec.of("dense", "units", 128, "weightInit", "he-uniform")).activation("relu")
                .dense(10).dtype(DType.FLOAT32).build();
        return new TrainingSpec(network, PluginSpec.of("sparse-categorical-cross-entropy-logits"), Reduction.MEAN,
                PluginSpec.of("adam", "learningRate", 0.001),
                TrainingOptions.defaults().withBatchSize(128).withMaxEpochs(epochs).withSeed(1));
    }

    private static List<Double> epochSeconds(SparkTrainer trainer, java.util.function.Consumer<Object> fit) {
        return epochSeconds(trainer::addListener, fit);
    }

    private static List<Double> epochSeconds(java.util.function.Consumer<TrainingListener> addListener,
                                             java.util.function.Consumer<Object> fit) {
        List<Double> seconds = new ArrayList<>();
        List<Double> losses = localLosses.isEmpty() ? localLosses : sparkLosses;
        addListener.accept(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEvent e) {
                seconds.add(e.seconds());
                losses.add(e.loss());
            }
        });
        fit.accept(null);
        return seconds;
    }

    /** Partition p's share of the training images, as rows. */
    static Iterator<Row> rowsOf(int p, int partitions) {
        try {
            Float32Tensor images = IdxReader.read(IMAGES);
            Float32Tensor labels = IdxReader.read(LABELS);
            int n = labels.shape().dim(0);
            int from = (int) ((long) n * p / partitions);
            int to = (int) ((long) n * (p + 1) / partitions);
            List<Row> rows = new ArrayList<>();
            for (int r = from; r < to; r++) {
                float[] v = new float[784];
                for (int c = 0; c < 784; c++) {
                    v[c] = images.data()[r * 784 + c] / 255f;
                }
                rows.add(RowFactory.create(v, (int) labels.data()[r]));
            }
            return rows.iterator();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    private static String format(List<Double> v) {
        return v.stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toList().toString();
    }

    private static String distributedLosses(List<Double> v) {
        return v.stream().map(d -> String.format(Locale.ROOT, "%.6f", d)).toList().toString();
    }
}
