package dev.nnkit.cli;

import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.StageException;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.EpochScores;
import dev.nnkit.core.train.Metrics;
import dev.nnkit.core.train.SingleRowBatches;
import dev.nnkit.core.train.StateMismatchException;
import dev.nnkit.core.train.StopReason;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingResult;
import dev.nnkit.core.train.TrainingState;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.checkpoint.Checkpoints;
import dev.nnkit.io.checkpoint.DataChangedException;
import dev.nnkit.io.config.DataSource;
import dev.nnkit.io.csv.CsvTableReader.TargetKind;
import dev.nnkit.io.config.TrainingConfig;
import dev.nnkit.io.config.TrainingConfigReader;
import dev.nnkit.io.data.MinMaxScaler;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.data.Standardizer;
import dev.nnkit.io.data.ValidationSplit;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nn train}: trains the network a config describes, shows progress, reports scores, and
 * with --out writes the run: model/, checkpoints/, metrics.jsonl and curves.png.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = NnCommand.Version.class, sortOptions = false,
        description = "Train a network from a JSON or YAML config.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Training config (JSON or YAML); with --resume, "
            + "the run's own DIR/config.json unless given.")
    Path config;

    @Option(names = "--data", paramLabel = "FILE", description = "Training data, instead of the config's data.train.")
    Path data;

    @Option(names = "--validation", paramLabel = "FILE", description = "Validation data, instead of data.validation.")
    Path validationFile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write the run here: DIR/model, DIR/checkpoints, DIR/metrics.jsonl, DIR/curves.png.")
    Path outDir;

    @Option(names = "--epochs", paramLabel = "N", description = "Override training.maxEpochs.")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S", description = "Override training.seed.")
    Long seed;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Override any config value, e.g. --set optimizer.learningRate=0.01 --set layers[0].units=64"
                    + " (or layers.0.units).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--checkpoint-every", paramLabel = "STEPS",
            description = "Write a checkpoint to DIR/checkpoints every STEPS optimizer steps (keeps the newest 3).")
    Long checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its newest checkpoint, bit-identically (implies --out DIR).")
    Path resumeDir;

    @Option(names = {"--overwrite", "--force"}, description = "Replace the run the --out directory holds (model, "
            + "checkpoints, metrics, curves, config.json); without it such a directory is refused.")
    boolean overwrite;

    @Option(names = "--allow-data-change", description = "With --resume: continue on training data other than the "
            + "run started with (refused otherwise).")
    boolean allowDataChange;

    @Option(names = "--quiet", description = "No progress bar and no per-epoch lines on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        PluginRegistry registry = PluginRegistry.discover();
        TrainingConfig cfg = readConfig(registry);
        cfg.checkMonitors(registry); // after --validation: a validation score needs validation data
        RunDirectory.Use use = resumeDir != null ? RunDirectory.Use.CONTINUE
                : overwrite ? RunDirectory.Use.REPLACE : RunDirectory.Use.NEW;
        try (StopOnSignal signals = new StopOnSignal(spec.commandLine().getErr());
             RunDirectory run = outDir == null ? null : signals.open(() -> RunDirectory.open(outDir, use))) {
            return train(registry, cfg, signals, Optional.ofNullable(run));
        }
    }

    /** Option values checked before anything is read or created. */
    private void checkOptions() {
        if (config == null && resumeDir == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--config=FILE' (or --resume DIR, "
                    + "which reads the run's own config.json).");
        }
        if (resumeDir != null) {
            if (outDir != null && !outDir.equals(resumeDir)) {
                throw new ParameterException(spec.commandLine(), "--resume " + resumeDir + " continues that run; drop --out "
                        + outDir + " or make it the same directory.");
            }
            if (overwrite) {
                throw new ParameterException(spec.commandLine(), "--resume continues the run in " + resumeDir
                        + " and --overwrite replaces it: choose one.");
            }
            outDir = resumeDir;
        } else if (allowDataChange) {
            throw new ParameterException(spec.commandLine(), "--allow-data-change only applies with --resume DIR.");
        }
        if (overwrite && outDir == null) {
            throw new ParameterException(spec.commandLine(), "--overwrite replaces the run in --out DIR; give --out DIR.");
        }
        if (checkpointEvery != null && outDir == null) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-every needs --out DIR: checkpoints live in "
                    + "DIR/checkpoints.");
        }
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-every must be at least 1 step; got "
                    + checkpointEvery + ".");
        }
        if (epochs != null && epochs < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs must be at least 1; got " + epochs + ".");
        }
    }

    /**
     * How to read the target column: as the config says, and when it leaves it to nnkit ({@code auto}),
     * a classification loss reads whole numbers (0/1/2) as class labels, so that a CSV coded that
     * way trains a classifier whose predictions are named by class, not a regression on the codes.
     */
    static TargetKind targetKind(DataSource src, dev.nnkit.api.loss.Loss loss) {
        if (src.targetKind() == TargetKind.AUTO && src.normalizeTarget().equals("standardize") && !loss.classifies()) {
            return TargetKind.NUMBERS; // a target to standardize is numbers: a word in it is a typo, named at its cell
        }
        return src.targetKind() == TargetKind.AUTO && loss.classifies() ? TargetKind.CLASSES_IF_WHOLE : src.targetKind();
    }

    private int train(PluginRegistry registry, TrainingConfig cfg, StopOnSignal signals, Optional<RunDirectory> run)
            throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DataSource src = cfg.data();
        Optional<DataFingerprint.Pending> fingerprint = outDir == null ? Optional.empty()
                : Optional.of(DataFingerprint.inBackground(dataFiles(src))); // hashed while the data loads
        TargetKind targetKind = targetKind(src, registry.loss(cfg.loss()));
        LoadedData train = LoadedData.read(src.format(), src.train(), src.trainLabels(), src.target(), targetKind,
                src.classNames(), src.limit(), cfg.dtype(), src.columns(), Optional.empty(), cfg.file());
        final LoadedData trained = train;
        Optional<LoadedData> validation = src.validation().isPresent()
                ? Optional.of(LoadedData.read(src.format(), src.validation().get(), src.validationLabels(),
                        Optional.of(train.table().targetName()), targetKind, train.classes(), src.limit(), cfg.dtype(),
                        src.columns(), trained.columns(), cfg.file()))
                : Optional.empty();
        Optional<ValidationSplit> split = Optional.empty();
        if (src.validationSplit() > 0) {
            split = Optional.of(split(cfg, train));
            validation = Optional.of(new LoadedData(split.get().validation(), train.file(), train.columns()));
            train = new LoadedData(split.get().train(), train.file(), train.columns());
        }
        if (validation.isPresent() && !validation.get().table().featureNames().equals(train.table().featureNames())) {
            throw new InvalidFileException(validation.get().file(), "line 1", "columns "
                    + dev.nnkit.io.InvalidFileException.quoteAll(validation.get().table().featureNames()) + " differ from the training data's "
                    + dev.nnkit.io.InvalidFileException.quoteAll(train.table().featureNames()) + ".");
        }
        LoadedData trainInUnits = train; // the target as the file gives it, for RMSE and R² in its units
        Optional<LoadedData> validationInUnits = validation;
        if (src.normalizeTarget().equals("standardize") && registry.loss(cfg.loss()).classifies()) {
            throw new InvalidFileException(cfg.file(), "/data/normalizeTarget", "standardizing is for a regression "
                    + "target, and the loss '" + cfg.loss().type() + "' classifies; remove \"normalizeTarget\", or train "
                    + "with a regression loss such as \"mse\".");
        }
        Optional<Normalizer> targetNormalizer = fitTargetNormalizer(cfg, train);
        if (targetNormalizer.isPresent()) {
            train = train.scaledTarget(targetNormalizer.get());
            if (validation.isPresent()) {
                validation = Optional.of(validation.get().scaledTarget(targetNormalizer.get()));
            }
        }
        Optional<Normalizer> normalizer = fitNormalizer(cfg, train);
        train.normalize(normalizer);
        if (validation.isPresent()) {
            validation.get().normalize(normalizer);
        }

        Shape sample = sampleShape(cfg, train);
        dev.nnkit.io.config.TrainingMemory.check(cfg, sample, train.features().shape().rows(),
                registry); // before the trainer allocates: the estimate, the heap and the fix
        Trainer trainer;
        try {
            trainer = Trainers.create(cfg.toSpec(sample), registry);
        } catch (StageException e) { // a layer that cannot take what it receives
            throw new InvalidFileException(cfg.file(), "/layers/" + e.stage(), e.getMessage());
        }
        checkLastBatch(cfg, trainer, train.features().shape().rows());
        int outputs = trainer.network().outputSize();
        cfg.checkClasses(train.classes(), outputs);
        int width = trainer.lossFunction().loss().targetWidth(outputs);
        Dataset trainSet = train.dataset(width, outputs, cfg.dtype(), cfg.file());
        Optional<Dataset> validationSet = validation.isPresent()
                ? Optional.of(validation.get().dataset(width, outputs, cfg.dtype(), cfg.file())) : Optional.empty();

        Optional<RunSaver> saver = outDir == null ? Optional.empty()
                : Optional.of(new RunSaver(outDir, checkpoints(cfg, fingerprint.orElseThrow().get()), continueCommand()));
        saver.ifPresent(s -> s.targetNormalizer(targetNormalizer)); // before any save: a stopped run's model too
        Optional<TrainingState> resumeFrom = resumeState(saver, trainSet.size(), cfg, err);
        EpochScores scores = new EpochScores(trainSet, train.target(), validationSet,
                validation.map(LoadedData::target).orElse(new double[0]), !train.classes().isEmpty());
        checkScored(cfg, registry, scores);
        trainer.addScorer(scores);
        MetricsLog metrics = new MetricsLog(scores, validationSet.isPresent(), !train.classes().isEmpty(),
                Optional.ofNullable(outDir).map(d -> d.resolve("metrics.jsonl")), resumeFrom.map(TrainingState::epoch).orElse(0));
        trainer.addListener(metrics);
        if (cfg.earlyStopping().isPresent()) {
            stopEarly(cfg, trainer, saver, resumeFrom.isPresent());
        }
        Progress progress = new Progress(err, !quiet && System.console() != null ? System.err : null,
                cfg.options().maxEpochs(), metrics::summary);
        if (!quiet) {
            trainer.addListener(progress);
        }
        List<IOException> endCheckpointFailure = new ArrayList<>(1);
        saver.ifPresent(s -> saveCheckpoints(trainer, s, endCheckpointFailure));
        if (!signals.watch(trainer)) {
            return NnCommand.FAILURE; // the signal handler said so; the JVM is exiting
        }
        if (run.isPresent()) {
            run.get().replaceOldRun(); // --overwrite: only now that config, data and network are accepted
            try {
                RunConfig.write(outDir, resolved);
            } catch (IOException e) {
                throw new IOException("Could not write " + outDir.resolve(RunConfig.FILE) + ": " + WriteFailure.reason(e)
                        + ". Nothing was trained; fix the cause (free space, permissions) and run again.", e);
            }
        }
        TrainingResult result;
        try {
            result = resumeFrom.isPresent() ? trainer.resume(trainSet, resumeFrom.get()) : trainer.fit(trainSet);
        } catch (StateMismatchException e) { // thrown before any training step
            if (bestMissing) {
                throw new InvalidFileException(outDir.resolve("checkpoints").resolve("best"), "", e.getMessage()
                        + " They were kept here, and it is missing or empty: put it back, or train afresh with --out "
                        + outDir + " --overwrite.");
            }
            throw new InvalidFileException(resumedCheckpoint, "", e.getMessage()
                    + " Resume with the config this run was started with, or start afresh in another directory.");
        } catch (UncheckedIOException e) { // a checkpoint or metrics.jsonl could not be written
            throw new IOException(e.getCause().getMessage() + " " + saver.orElseThrow().retryHint(), e.getCause());
        } finally {
            signals.trainingOver();
        }
        if (result.reason() == StopReason.STOPPED) {
            progress.stop();
            if (saver.isPresent()) {
                saver.get().record(runFacts(cfg, split, result));
            }
            return stopped(registry, cfg, trainer, train, normalizer, metrics, saver, result, endCheckpointFailure);
        }

        out.printf(Locale.ROOT, "Trained %s (%d parameters) for %d epochs, %d steps; stopped: %s.%n",
                shape(trainer), trainer.network().parameterCount(), result.epochs(), result.iterations(),
                stopReason(cfg, result));
        if (result.restoredEpoch() > 0) {
            String monitor = cfg.earlyStopping().orElseThrow().monitor();
            out.printf(Locale.ROOT, "Restored the weights of epoch %d, the best by %s (%.6g).%n", result.restoredEpoch(),
                    monitor, result.history().values(monitor).orElseThrow().get(result.restoredEpoch() - 1));
        }
        report(out, "train", trainer, trainSet, train, trainInUnits, targetNormalizer);
        if (validationSet.isPresent()) {
            report(out, "validation", trainer, validationSet.get(), validation.get(), validationInUnits.orElseThrow(),
                    targetNormalizer);
        }
        if (saver.isPresent()) {
            saver.get().record(runFacts(cfg, split, result));
            saveRun(saver.get(), registry, cfg, trainer, train, normalizer, metrics, endCheckpointFailure,
                    "Training finished, but");
            throwIfFailed(endCheckpointFailure, "Training finished and the model is saved in " + outDir.resolve("model"));
            out.println("Wrote " + outDir.resolve("model") + ", a checkpoint to continue from, metrics.jsonl and "
                    + "curves.png in " + outDir);
        }
        return NnCommand.OK;
    }

    /**
     * What early stopping and the schedule watch must be a score of this task: an accuracy for a
     * classifier, an R² for a regression (validation data was checked with the config).
     */
    private static void checkScored(TrainingConfig cfg, PluginRegistry registry, EpochScores scores)
            throws InvalidFileException {
        List<String> scored = new ArrayList<>(List.of(dev.nnkit.api.schedule.EpochHistory.TRAIN_LOSS));
        scored.addAll(scores.names());
        Map<String, String> watched = new LinkedHashMap<>();
        cfg.earlyStopping().ifPresent(e -> watched.put("/training/earlyStopping/monitor", e.monitor()));
        watched.put("/schedule/monitor", registry.schedule(cfg.schedule()).monitor());
        for (Map.Entry<String, String> w : watched.entrySet()) {
            String m = w.getValue();
            if (!scored.contains(m)) {
                String instead = m.endsWith("R2") ? m.replace("R2", "Accuracy") : m.replace("Accuracy", "R2");
                throw new InvalidFileException(cfg.file(), w.getKey(), "\"" + m + "\" is not scored in this run: it is a "
                        + (m.endsWith("R2") ? "regression score, and this run trains a classifier"
                        : "classification score, and this run trains a regression") + ". Watch \"" + instead
                        + "\" or a loss. This run scores " + String.join(", ", scored) + ".");
            }
        }
    }

    /** Why training stopped, in words; early stopping with what it watched. */
    private static String stopReason(TrainingConfig cfg, TrainingResult result) {
        if (result.reason() == StopReason.EARLY_STOPPED) {
            var rule = cfg.earlyStopping().orElseThrow();
            return "early stopping (" + rule.monitor() + " did not improve for " + rule.patience() + " epoch"
                    + (rule.patience() == 1 ? "" : "s") + ")";
        }
        return result.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The held-out part of the training data, and a line saying so. */
    private ValidationSplit split(TrainingConfig cfg, LoadedData train) throws InvalidFileException {
        double fraction = cfg.data().validationSplit();
        ValidationSplit split;
        try {
            split = ValidationSplit.of(train.table(), fraction, cfg.options().seed());
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(cfg.file(), "/data/validationSplit", e.getMessage());
        }
        if (!quiet) {
            spec.commandLine().getErr().printf(Locale.ROOT, "Holding out %d of %d rows of %s for validation "
                    + "(validationSplit %s%s, seed %d).%n", split.validationRows().length, train.table().rows(),
                    train.file().getFileName(), fraction, train.classes().isEmpty() ? "" : ", stratified by class",
                    cfg.options().seed());
        }
        return split;
    }

    /** What model.json records of how the run went: the split, and the epoch early stopping restored. */
    private static Map<String, String> runFacts(TrainingConfig cfg, Optional<ValidationSplit> split,
                                                TrainingResult result) {
        Map<String, String> facts = new LinkedHashMap<>();
        split.ifPresent(s -> {
            facts.put("validationSplit", String.valueOf(cfg.data().validationSplit()));
            facts.put("validationRows", String.valueOf(s.validationRows().length));
        });
        facts.put("stopped", result.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (result.restoredEpoch() > 0) {
            facts.put("restoredEpoch", String.valueOf(result.restoredEpoch()));
        }
        return facts;
    }

    /**
     * Early stopping: each new best state is kept in DIR/checkpoints/best (when the run is kept);
     * a resumed run that ends with its best weights reads them back from there.
     */
    private void stopEarly(TrainingConfig cfg, Trainer trainer, Optional<RunSaver> saver, boolean resuming)
            throws IOException {
        var rule = cfg.earlyStopping().orElseThrow();
        Optional<Checkpoints> best = saver.map(s -> s.checkpoints().sibling(outDir.resolve("checkpoints").resolve("best")));
        trainer.stopEarly(rule, best.isEmpty() ? null : state -> {
            try {
                best.get().save(state);
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException("Could not write the best checkpoint (epoch "
                        + (state.epoch() - 1) + ") in " + outDir.resolve("checkpoints").resolve("best") + ": "
                        + WriteFailure.reason(e) + ".", e));
            }
        });
        if (resuming && best.isPresent()) {
            Optional<TrainingState> kept = best.get().latest();
            bestMissing = kept.isEmpty() && rule.restoreBest();
            if (kept.isPresent()) {
                try {
                    trainer.resumeBest(kept.get());
                } catch (StateMismatchException e) {
                    throw new InvalidFileException(best.get().list().get(best.get().list().size() - 1), "",
                            e.getMessage() + " The best checkpoint is of another network: resume with the config this"
                                    + " run was started with.");
                }
            }
        }
    }

    /** After a signal: the model so far beside the stop's checkpoint, and where both are. */
    private int stopped(PluginRegistry registry, TrainingConfig cfg, Trainer trainer, LoadedData train,
                        Optional<Normalizer> normalizer, MetricsLog metrics, Optional<RunSaver> saver,
                        TrainingResult result, List<IOException> endCheckpointFailure) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        String where = String.format(Locale.ROOT, "Stopped at epoch %d, step %d.", result.epochs(), result.iterations());
        if (saver.isEmpty()) {
            err.println(where + " Nothing was saved: add --out DIR to keep a run you can resume.");
            return NnCommand.FAILURE;
        }
        saveRun(saver.get(), registry, cfg, trainer, train, normalizer, metrics, endCheckpointFailure, "Stopped, but");
        throwIfFailed(endCheckpointFailure, where + " The model so far is saved in " + outDir.resolve("model"));
        err.println(where + " Wrote the checkpoint " + saver.get().newestCheckpoint().orElseThrow() + " and the model so far"
                + " in " + outDir.resolve("model") + ". Continue with: " + saver.get().continueCommand());
        return NnCommand.FAILURE; // the JVM exits with the signal's status (130, 143) once this returns
    }

    /** The model and curves.png; when that fails too, the message also says the last checkpoint is missing. */
    private void saveRun(RunSaver saver, PluginRegistry registry, TrainingConfig cfg, Trainer trainer, LoadedData train,
                         Optional<Normalizer> normalizer, MetricsLog metrics, List<IOException> endCheckpointFailure,
                         String context) throws IOException {
        try {
            saver.save(registry, cfg, trainer, train, normalizer, metrics, configHash(cfg), context);
        } catch (IOException e) {
            if (endCheckpointFailure.isEmpty()) {
                throw e;
            }
            throw new IOException(e.getMessage() + " " + endCheckpointFailure.get(0).getMessage() + " The run cannot be "
                    + "continued from where it ended; older checkpoints, if any, are intact.", e);
        }
    }

    /** The end-of-training checkpoint that could not be written, reported once the model is safe. */
    private static void throwIfFailed(List<IOException> endCheckpointFailure, String kept) throws IOException {
        if (!endCheckpointFailure.isEmpty()) {
            IOException e = endCheckpointFailure.get(0);
            throw new IOException(kept + ". " + e.getMessage() + " The run cannot be continued from where it "
                    + "ended; older checkpoints, if any, are intact.", e);
        }
    }

    /**
     * The command that continues this run: --resume DIR, which reads DIR/config.json (the config
     * with every override written in), and the options that are not part of the config.
     */
    private String continueCommand() {
        List<String> words = new ArrayList<>(List.of("nn", "train", "--resume", outDir.toString()));
        if (checkpointEvery != null) {
            words.addAll(List.of("--checkpoint-every", checkpointEvery.toString()));
        }
        if (quiet) {
            words.add("--quiet");
        }
        return ShellWords.join(words);
    }

    /** The run's resolved config (see {@link RunConfig}), written to DIR/config.json. */
    private tools.jackson.databind.node.ObjectNode resolved;

    /**
     * The config: --config FILE, or on --resume without one the run's own config.json; overrides
     * and --seed, --epochs, --data and --validation written into it.
     */
    private TrainingConfig readConfig(PluginRegistry registry) throws IOException {
        Path file = config;
        if (file == null) {
            file = resumeDir.resolve(RunConfig.FILE);
            if (!Files.isRegularFile(file)) {
                throw new InvalidFileException(resumeDir, "", "holds no " + RunConfig.FILE + " (a run written by an older "
                        + "nnkit, or not a run): give the config it was trained with, --config FILE.");
            }
        }
        TrainingConfigReader reader = new TrainingConfigReader(registry);
        tools.jackson.databind.node.ObjectNode tree;
        try {
            tree = reader.resolve(file, sets);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        RunConfig.resolve(tree, file, epochs, seed, data, validationFile, overrides());
        resolved = tree;
        try {
            return reader.read(file, tree);
        } catch (InvalidFileException e) {
            throw blameOverride(e);
        }
    }

    /**
     * A config mistake at a place a --set wrote is the --set's, not the file's: named as typed,
     * a command-line error (exit 2).
     */
    private RuntimeException blameOverride(InvalidFileException e) throws InvalidFileException {
        for (String s : sets) {
            int eq = s.indexOf('=');
            String pointer = "/" + (eq < 0 ? s : s.substring(0, eq)).replace('.', '/');
            // at the --set's place, inside it, or at a key it created on the way (/training/earlyStoping)
            boolean created = pointer.startsWith(e.place() + "/") && e.place().lastIndexOf('/') > 0;
            if (e.place().equals(pointer) || e.place().startsWith(pointer + "/") || created) {
                throw new ParameterException(spec.commandLine(), "--set " + s + ": " + e.problem());
            }
        }
        throw e;
    }

    /** The options that change the config, as typed, for config.json's writtenBy. */
    private List<String> overrides() {
        List<String> words = new ArrayList<>();
        sets.forEach(s -> words.add("--set " + s));
        if (seed != null) {
            words.add("--seed " + seed);
        }
        if (epochs != null) {
            words.add("--epochs " + epochs);
        }
        if (data != null) {
            words.add("--data " + data);
        }
        if (validationFile != null) {
            words.add("--validation " + validationFile);
        }
        return words;
    }

    /** data.normalizeTarget: μ and σ of a numeric target, fitted on the training rows. */
    private static Optional<Normalizer> fitTargetNormalizer(TrainingConfig cfg, LoadedData train) throws InvalidFileException {
        if (!cfg.data().normalizeTarget().equals("standardize")) {
            return Optional.empty();
        }
        if (!train.classes().isEmpty()) {
            throw new InvalidFileException(cfg.file(), "/data/normalizeTarget", "standardizing is for a numeric target, "
                    + "and column " + InvalidFileException.quote(train.table().targetName()) + " is read as "
                    + train.classes().size() + " classes; remove \"normalizeTarget\", or say \"labels\": \"numbers\" to "
                    + "train a regression on it.");
        }
        try {
            return Optional.of(Standardizer.fit(Tensor.of(dev.nnkit.api.tensor.DType.FLOAT64,
                    Shape.of(train.table().rows(), 1), train.target())));
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(train.file(), "target " + InvalidFileException.quote(train.table().targetName()),
                    e.getMessage());
        }
    }

    private static Optional<Normalizer> fitNormalizer(TrainingConfig cfg, LoadedData train) throws InvalidFileException {
        try {
            return switch (cfg.data().normalize()) {
                case "standardize" -> Optional.of(Standardizer.fit(train.features()));
                case "min-max" -> Optional.of(MinMaxScaler.fit(train.features()));
                default -> Optional.empty();
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(train.file(), "", e.getMessage());
        }
    }

    /** The checkpoint a run resumes from, for messages. */
    private Path resumedCheckpoint;

    /** A resumed run that ends with its best weights, but DIR/checkpoints/best holds none. */
    private boolean bestMissing;

    /** The training and validation data's files, in a fixed order. */
    private static List<Path> dataFiles(DataSource src) {
        List<Path> files = new ArrayList<>(List.of(src.train()));
        src.trainLabels().ifPresent(files::add);
        src.validation().ifPresent(files::add);
        src.validationLabels().ifPresent(files::add);
        return files;
    }

    /** DIR/checkpoints, recording the config and the fingerprint of the data they belong to. */
    private Checkpoints checkpoints(TrainingConfig cfg, String dataFingerprint) throws IOException {
        Checkpoints c = new Checkpoints(outDir.resolve("checkpoints"), 3, configHash(cfg), dataFingerprint);
        if (config != null) { // a run checkpointed by an nnkit that hashed the config file's bytes
            c = c.acceptingConfigHash(legacyConfigHash());
        }
        return allowDataChange ? c.acceptingOtherData() : c;
    }

    /**
     * Every --checkpoint-every steps, and when training ends or a signal stops it. A failure at the
     * end is kept for later, so that the model is saved first.
     */
    private void saveCheckpoints(Trainer trainer, RunSaver saver, List<IOException> endFailure) {
        Function<TrainingState, IOException> write = state -> {
            try {
                saver.checkpoints().save(state);
                return null;
            } catch (IOException e) {
                return new IOException("Could not write the checkpoint of step " + state.iterations() + " in "
                        + outDir.resolve("checkpoints") + ": " + WriteFailure.reason(e) + ".", e);
            }
        };
        if (checkpointEvery != null) {
            trainer.checkpointEvery(checkpointEvery, state -> {
                IOException e = write.apply(state);
                if (e != null) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        trainer.checkpointAtEnd(state -> {
            IOException e = write.apply(state);
            if (e != null) {
                endFailure.add(e);
            }
        });
    }

    /** The newest checkpoint's state when resuming; refuses a run with none, or one already complete. */
    private Optional<TrainingState> resumeState(Optional<RunSaver> saver, int rows, TrainingConfig cfg, PrintWriter err)
            throws IOException {
        if (resumeDir == null) {
            return Optional.empty();
        }
        RunSaver s = saver.orElseThrow();
        Optional<Path> newest = s.newestCheckpoint();
        if (newest.isEmpty()) {
            throw new InvalidFileException(outDir, "", "holds no checkpoint to resume from (" + outDir.resolve("checkpoints")
                    + " is missing or empty): the run ended before one could be written (it was killed, or its disk was full). "
                    + "Start it again with --out "
                    + outDir + " --overwrite.");
        }
        resumedCheckpoint = newest.get();
        TrainingState st;
        try {
            st = s.checkpoints().latest().orElseThrow();
        } catch (DataChangedException e) {
            throw new InvalidFileException(e.file(), e.place(), e.problem()
                    + " To continue on the new data deliberately, add --allow-data-change.");
        }
        long batches = ((long) rows + cfg.options().batchSize() - 1) / cfg.options().batchSize();
        if (st.batch() > batches) {
            throw new InvalidFileException(resumedCheckpoint.resolve("state.json"), "/batch", "batch " + st.batch()
                    + " is beyond an epoch of this data (" + rows + " rows in batches of " + cfg.options().batchSize()
                    + " make " + batches + "). The checkpoint is damaged, or its run had another batchSize: resume "
                    + "with the config the run was started with.");
        }
        int completed = st.batch() >= batches ? st.epoch() : st.epoch() - 1;
        if (cfg.earlyStopping().isPresent() && st.batch() == 0) { // a run that stopped early is finished
            var rule = cfg.earlyStopping().get();
            List<Double> history = rule.monitor().equals(dev.nnkit.api.schedule.EpochHistory.TRAIN_LOSS)
                    ? st.epochLosses() : st.epochScores().getOrDefault(rule.monitor(), List.of());
            if (history.size() == st.epochLosses().size() && rule.judge(history).stop()) {
                throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "The run in %s stopped early "
                        + "after epoch %d (%s did not improve for %d epochs): nothing is left to train, whatever "
                        + "--epochs says. To train on, start a new run with a larger patience.", outDir,
                        st.epochLosses().size(), rule.monitor(), rule.patience()));
            }
        }
        int max = cfg.options().maxEpochs();
        if (completed >= max) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "The run in %s has completed %d "
                    + "epochs (step %d), and %d are asked for: nothing is left to train. To train further, ask for more, "
                    + "e.g. --epochs %d.", outDir, completed, st.iterations(), max, completed + Math.max(1, max)));
        }
        err.println("Resuming at epoch " + st.epoch() + ", step " + st.iterations() + ".");
        return Optional.of(st);
    }

    /** Identifies the run's training: the resolved config's hash (see {@link RunConfig#hash}). */
    private String configHash(TrainingConfig cfg) {
        return RunConfig.hash(resolved);
    }

    /**
     * How nnkit before run folders kept config.json identified a config: the config file's bytes
     * plus --set and --seed, so that such runs still resume with --config.
     */
    private String legacyConfigHash() throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(config));
            for (String s : sets) {
                md.update(("\n--set " + s).getBytes(StandardCharsets.UTF_8));
            }
            if (seed != null) {
                md.update(("\n--seed " + seed).getBytes(StandardCharsets.UTF_8));
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static void report(PrintWriter out, String name, Trainer trainer, Dataset data, LoadedData table,
                               LoadedData inUnits, Optional<Normalizer> targetNormalizer) {
        Trainer.Evaluation evaluation = trainer.evaluate(data);
        double loss = evaluation.loss();
        Tensor p = evaluation.predictions();
        targetNormalizer.ifPresent(n -> n.invert(p));
        String lossText = String.format(Locale.ROOT, "%-10s loss %.6f%s", name, loss,
                targetNormalizer.isPresent() ? " (standardized target)" : "");
        if (!table.classes().isEmpty()) {
            out.printf(Locale.ROOT, "%s  accuracy %.2f%%%n", lossText, 100 * Metrics.accuracy(p, table.target()));
        } else if (p.shape().cols() == 1) {
            out.printf(Locale.ROOT, "%s  RMSE %.6f  R² %.4f%n", lossText, Metrics.rmse(p, inUnits.target()),
                    Metrics.r2(p, inUnits.target()));
        } else {
            out.printf(Locale.ROOT, "%s%n", lossText);
        }
    }

    /** The per-sample shape: the file's ([1, 28, 28] for IDX images, [columns] for CSV), or the config's data.inputShape. */
    private static Shape sampleShape(TrainingConfig cfg, LoadedData train) throws InvalidFileException {
        Shape given = train.features().shape().sample();
        Optional<Shape> declared = cfg.data().inputShape();
        if (declared.isPresent() && declared.get().size() != given.size()) {
            throw new InvalidFileException(cfg.file(), "/data/inputShape", declared.get() + " holds "
                    + declared.get().size() + " values, but each row of the training data has " + given.size()
                    + " feature columns; make the dimensions multiply to " + given.size() + ".");
        }
        return declared.orElse(given);
    }

    /**
     * Batch norm in training needs two values per feature: refused before training starts when the
     * epoch's last batch would hold a single row of features (PyTorch fails in the middle of the epoch).
     */
    private static void checkLastBatch(TrainingConfig cfg, Trainer trainer, int rows) throws InvalidFileException {
        Optional<String> problem = SingleRowBatches.problem(trainer.network(), rows, cfg.options().batchSize());
        if (problem.isPresent()) {
            throw new InvalidFileException(cfg.file(), "/training/batchSize", problem.get());
        }
    }

    /**
     * The network in one line: the widths of a fully connected one ("784-256-10"); for a network
     * with image stages, each stage that learns or changes the shape with its output shape
     * ("1×28×28 → conv2d 16×28×28 → max-pool2d 16×14×14 → dense 10").
     */
    static String shape(Trainer t) {
        var stages = t.network().stages();
        if (stages.stream().allMatch(s -> s.layer().outputShape().rank() == 1)) {
            StringBuilder sb = new StringBuilder().append(t.network().inputSize());
            stages.stream().filter(s -> !s.layer().parameters().isEmpty())
                    .forEach(s -> sb.append('-').append(s.layer().outputShape().size()));
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder(dims(t.network().inputShape()));
        var in = t.network().inputShape();
        for (var s : stages) {
            var out = s.layer().outputShape();
            if (!s.layer().parameters().isEmpty() || !out.equals(in) && !s.spec().type().equals("flatten")) {
                sb.append(" → ").append(s.spec().type()).append(' ').append(dims(out));
            }
            in = out;
        }
        return sb.toString();
    }

    private static String dims(Shape shape) {
        return Arrays.stream(shape.dims()).mapToObj(Integer::toString).collect(Collectors.joining("×"));
    }
}
