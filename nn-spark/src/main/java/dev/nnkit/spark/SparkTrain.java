package dev.nnkit.spark;

import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.UnknownPluginException;
import dev.nnkit.core.train.EpochScores;
import dev.nnkit.core.train.TrainingDivergedException;
import dev.nnkit.core.train.TrainingListener;
import dev.nnkit.core.train.TrainingResult;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.core.train.TrainingState;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.checkpoint.Checkpoints;
import dev.nnkit.io.config.TrainingConfig;
import dev.nnkit.io.config.TrainingConfigReader;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark-submit} entry point: trains from the same config file as {@code nn train}, with
 * the training data read by Spark, and writes a model directory that {@code nn predict} reads.
 *
 * <pre>
 * spark-submit --class dev.nnkit.spark.SparkTrain nn-spark-all.jar \
 *     --config iris.json --train hdfs:///data/iris.csv --out runs/iris [--checkpoint-every 100] [--resume]
 *     [--average-every 50]
 * </pre>
 *
 * Exit codes as {@code nn train}'s: 2 a bad command line, 3 training diverged, 4 bad input (config,
 * data, a missing plugin).
 */
public final class SparkTrain {

    private SparkTrain() {
    }

    public static void main(String[] args) {
        SparkTrainArguments arguments;
        try {
            arguments = SparkTrainArguments.parse(args);
        } catch (SparkTrainArguments.UsageException e) {
            System.exit(usage(e));
            return;
        }
        SparkSession spark = SparkSession.builder().appName("nnkit " + arguments.config().getFileName()).getOrCreate();
        if (!spark.conf().contains("spark.log.level")) {
            // Spark's INFO lines (thousands a run) would bury the epoch lines; --conf spark.log.level=INFO brings them back.
            spark.sparkContext().setLogLevel("WARN");
        }
        int code;
        try {
            code = run(spark, arguments);
        } finally {
            spark.stop();
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Trains as the command line says, in a running Spark session; returns the exit code. */
    static int run(SparkSession spark, String... args) {
        try {
            return run(spark, SparkTrainArguments.parse(args));
        } catch (SparkTrainArguments.UsageException e) {
            return usage(e);
        }
    }

    private static int usage(SparkTrainArguments.UsageException e) {
        System.err.println("nn-spark: " + e.getMessage());
        System.err.println(SparkTrainArguments.USAGE);
        return 2;
    }

    /** Trains as the arguments say; returns the exit code, having printed why it is not 0. */
    static int run(SparkSession spark, SparkTrainArguments a) {
        try {
            train(spark, a);
            return 0;
        } catch (InvalidFileException | SparkTrainingException | UnknownPluginException
                 | dev.nnkit.core.train.StateMismatchException e) {
            System.err.println("nn-spark: " + e.getMessage());
            return 4;
        } catch (SparkTrainArguments.UsageException e) {
            return usage(e);
        } catch (TrainingDivergedException e) {
            System.err.println("nn-spark: " + e.getMessage());
            return 3;
        } catch (NoSuchFileException e) {
            System.err.println("nn-spark: no such file: " + e.getFile());
            return 4;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("nn-spark: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            // Spark throws its own exceptions, some checked in Java's eyes but never declared by Scala.
            if (!(e instanceof SparkThrowable failure)) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            boolean data = e instanceof AnalysisException || String.valueOf(failure.getCondition()).startsWith("FAILED_READ");
            System.err.println("nn-spark: " + (data ? "reading the data: " : "Spark failed: ") + firstLine(e.getMessage()));
            return data ? 4 : 1;
        }
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int end = m.indexOf('\n');
        return end < 0 ? m : m.substring(0, end);
    }

    static void train(SparkSession spark, SparkTrainArguments a) throws IOException {
        PluginRegistry registry = PluginRegistry.discover();
        TrainingConfig config = new TrainingConfigReader(registry).read(a.config(), a.overrides());
        String trainPath = a.train().orElse(config.data().train().toString());
        RunOutput out = RunOutput.of(a.out(), spark.sparkContext().hadoopConfiguration());
        try {
            train(spark, a, registry, config, trainPath, out);
        } finally {
            out.cleanUp();
        }
    }

    private static void train(SparkSession spark, SparkTrainArguments a, PluginRegistry registry, TrainingConfig config,
                              String trainPath, RunOutput out) throws IOException {
        Checkpoints checkpoints = new Checkpoints(out.local().resolve("checkpoints"), 3, hash(a.config(), a.overrides()),
                "path " + trainPath);
        Optional<TrainingState> resumeFrom = Optional.empty();
        if (!a.resume() && !a.overwrite() && out.holdsRun()) {
            throw new SparkTrainingException("--out " + a.out() + " already holds a run (model or checkpoints): continue it"
                    + " with --resume, replace it with --overwrite, or choose another --out. Nothing was changed.");
        }
        if (a.resume()) {
            out.pullCheckpoints();
            resumeFrom = checkpoints.latest();
            if (resumeFrom.isEmpty()) {
                throw new SparkTrainingException("--resume: " + out.describe("checkpoints")
                        + " holds no checkpoint to continue from. Start without --resume.");
            }
            System.err.println("nn-spark: resuming at epoch " + resumeFrom.get().epoch() + ", step "
                    + resumeFrom.get().iterations() + ".");
        }
        refuseUnsupported(config);
        config.checkMonitors(registry);
        if (a.averageEvery() > 0 && config.earlyStopping().isPresent()) {
            throw new SparkTrainArguments.UsageException("--average-every trains without early stopping: remove training.earlyStopping from "
                    + a.config() + ", or train synchronously.");
        }
        DataFiles files = new DataFiles(spark, a.format());
        Dataset<Row> frame = files.read(trainPath, "training data");
        if (a.partitions() > 0) {
            frame = frame.repartition(a.partitions());
        }
        Optional<Dataset<Row>> validationFrame = config.data().validation().map(v -> files.read(v.toString(),
                "validation data"));
        if (config.data().validationSplit() > 0) {
            Dataset<Row>[] split = frame.randomSplit(new double[] {1 - config.data().validationSplit(),
                config.data().validationSplit()}, config.options().seed());
            frame = split[0];
            validationFrame = Optional.of(split[1]);
        }
        String target = config.data().target().orElse(frame.columns()[frame.columns().length - 1]);
        if (!List.of(frame.columns()).contains(target)) {
            throw new SparkTrainingException(trainPath + " has no column '" + target + "' (data.target in " + a.config()
                    + "); its columns are " + List.of(frame.columns()) + ".");
        }
        FrameColumns columns = FrameColumns.features(featureColumns(frame, config, target).toArray(String[]::new))
                .label(target);
        TrainingSpec spec = config.data().inputShape().map(config::toSpec).orElse(config.toSpec(columns.features().size()));
        SparkTrainer trainer = SparkTrainer.create(spark, spec, registry);
        if (a.averageEvery() > 0) {
            trainer.averageEvery(a.averageEvery());
        }
        Dataset<Row> trainFrame = frame;
        Optional<Normalizer> normalizer = DataFiles.explained("training data " + trainPath,
                () -> SparkNormalizers.fit(trainFrame, columns, config.data().normalize()));
        SparkExamples examples = DataFiles.explained("training data " + trainPath,
                () -> trainer.examples(trainFrame, columns, normalizer));
        Optional<String> batches = trainer.batchProblem(examples);
        if (batches.isPresent()) {
            throw new InvalidFileException(config.file(), "/training/batchSize", batches.get());
        }
        String validationPath = config.data().validation().map(Path::toString).orElse("(validationSplit)");
        score(trainer, examples, validationFrame.map(v -> DataFiles.explained("validation data " + validationPath,
                () -> trainer.examples(v, columns.classes(examples.classes()), normalizer).collect(Integer.MAX_VALUE))));
        config.earlyStopping().ifPresent(rule -> trainer.trainer().stopEarly(rule, null));
        System.err.printf(Locale.ROOT, "nn-spark: %d examples in %d partitions from %s; %d parameters.%n",
                examples.size(), examples.partitions(), trainPath, trainer.trainer().network().parameterCount());
        trainer.addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEvent e) {
                StringBuilder scores = new StringBuilder();
                e.scores().forEach((name, value) -> {
                    if (!name.equals("trainLoss")) {
                        scores.append(String.format(Locale.ROOT, "  %s %.6g", name, value));
                    }
                });
                System.err.printf(Locale.ROOT, "nn-spark: epoch %d  loss %.6g%s  step %d  %.2f s%n", e.epoch(), e.loss(),
                        scores, e.iterations(), e.seconds());
            }
        });
        if (a.checkpointEvery() > 0) {
            trainer.checkpointEvery(a.checkpointEvery(), state -> save(checkpoints, out, state));
            trainer.checkpointAtEnd(state -> save(checkpoints, out, state));
        }
        if (a.overwrite()) {
            out.deleteRun(); // only now that config, data and network are accepted
        }
        TrainingResult result = resumeFrom.isPresent() ? trainer.resume(examples, resumeFrom.get()) : trainer.fit(examples);
        examples.release();
        Model model = Model.trained(trainer.trainer(), spec.loss(), normalizer,
                new Model.Labels(columns.features(), target, examples.classes()));
        ModelFiles.save(model, out.local().resolve("model"), registry);
        out.pushModel();
        System.err.printf(Locale.ROOT, "nn-spark: %s after %d steps; model in %s%n",
                result.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '), result.iterations(), out.describe("model"));
    }

    /** What nn train's configs can ask for that nn-spark does not do yet: said, never ignored. */
    private static void refuseUnsupported(TrainingConfig config) throws InvalidFileException {
        var data = config.data();
        if (data.format().equals("idx")) {
            throw new InvalidFileException(config.file(), "/data/format", "nn-spark reads CSV or Parquet through Spark;"
                    + " IDX files are for nn train. Write the images as a Parquet column of pixel arrays.");
        }
        if (!data.normalizeTarget().equals("none")) {
            throw new InvalidFileException(config.file(), "/data/normalizeTarget", "nn-spark does not scale targets yet;"
                    + " remove normalizeTarget, or scale the column in Spark first.");
        }
        if (!data.columns().missing().equals("error") || data.columns().ignoreUnknown()) {
            throw new InvalidFileException(config.file(), "/data/columns", "nn-spark does not fill missing cells or"
                    + " encode categories yet; prepare the columns in Spark (na().fill(...), StringIndexer) first.");
        }
    }


    /**
     * The scores nn train prints and watches: the training metric on the first 10,000 examples,
     * and the validation loss and metric, computed on the driver.
     */
    private static void score(SparkTrainer trainer, SparkExamples train, Optional<SparkExamples.Local> validation) {
        SparkExamples.Local head = train.collect(EpochScores.TRAIN_METRIC_SAMPLE);
        trainer.addScorer(new EpochScores(head.data(), head.truth(), validation.map(SparkExamples.Local::data),
                validation.map(SparkExamples.Local::truth).orElse(new double[0]), !train.classes().isEmpty()));
    }

    /** The config's feature columns, or every column but the target and those it ignores. */
    private static List<String> featureColumns(Dataset<Row> frame, TrainingConfig config, String target) {
        List<String> given = config.data().columns().features();
        if (!given.isEmpty()) {
            return given;
        }
        List<String> out = new ArrayList<>();
        for (String c : frame.columns()) {
            if (!c.equals(target) && !config.data().columns().ignore().contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static void save(Checkpoints checkpoints, RunOutput out, TrainingState state) {
        try {
            checkpoints.save(state);
            out.pushCheckpoints();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write a checkpoint: " + e.getMessage(), e);
        }
    }

    /** Identifies the run's training: the config file's bytes. */
    /** The config file's and the overrides' hash: a --resume with other --set values is another run. */
    private static String hash(Path config, List<String> overrides) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(config));
            for (String o : overrides) {
                md.update(("\n" + o).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
