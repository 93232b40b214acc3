package dev.nnkit.cli;

import dev.nnkit.core.inject.Trainers;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingResult;
import dev.nnkit.core.train.TrainingState;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.checkpoint.Checkpoints;
import dev.nnkit.io.config.DataSource;
import dev.nnkit.io.config.TrainingConfig;
import dev.nnkit.io.config.TrainingConfigReader;
import dev.nnkit.io.data.MinMaxScaler;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.data.Standardizer;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nn train}: trains the network a config describes, shows progress, reports scores, and
 * with --out writes the run: model/, checkpoints/, metrics.jsonl and curves.png.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a network from a JSON or YAML config.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training config (JSON or YAML).")
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
            description = "Override any config value, e.g. --set optimizer.learningRate=0.01 --set layers.0.units=64.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--checkpoint-every", paramLabel = "STEPS",
            description = "Write a checkpoint to DIR/checkpoints every STEPS optimizer steps (keeps the newest 3).")
    Long checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its newest checkpoint, bit-identically (implies --out DIR).")
    Path resumeDir;

    @Option(names = "--overwrite", description = "Replace the run the --out directory holds (model, checkpoints, "
            + "metrics, curves); without it such a directory is refused.")
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
        RunDirectory.Use use = resumeDir != null ? RunDirectory.Use.CONTINUE
                : overwrite ? RunDirectory.Use.REPLACE : RunDirectory.Use.NEW;
        try (StopOnSignal signals = new StopOnSignal(spec.commandLine().getErr());
             RunDirectory run = outDir == null ? null : RunDirectory.open(outDir, use)) {
            return train(registry, cfg, signals);
        }
    }

    /** Option values checked before anything is read or created. */
    private void checkOptions() {
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

    private int train(PluginRegistry registry, TrainingConfig cfg, StopOnSignal signals) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DataSource src = cfg.data();
        LoadedData train = LoadedData.read(src.format(), src.train(), src.trainLabels(), src.target(), src.targetKind(),
                src.classNames(), src.limit(), cfg.dtype());
        Optional<LoadedData> validation = src.validation().isPresent()
                ? Optional.of(LoadedData.read(src.format(), src.validation().get(), src.validationLabels(),
                        Optional.of(train.table().targetName()), src.targetKind(), train.classes(), src.limit(), cfg.dtype()))
                : Optional.empty();
        if (validation.isPresent() && !validation.get().table().featureNames().equals(train.table().featureNames())) {
            throw new InvalidFileException(validation.get().file(), "line 1", "columns "
                    + ModelOptions.shortList(validation.get().table().featureNames()) + " differ from the training data's "
                    + ModelOptions.shortList(train.table().featureNames()) + ".");
        }
        Optional<Normalizer> normalizer = fitNormalizer(cfg, train);
        train.normalize(normalizer);
        if (validation.isPresent()) {
            validation.get().normalize(normalizer);
        }

        Trainer trainer;
        try {
            trainer = Trainers.create(cfg.toSpec(train.features().shape().sample()), registry);
        } catch (dev.nnkit.core.network.StageException e) { // a layer that cannot take what it receives
            throw new dev.nnkit.io.InvalidFileException(cfg.file(), "/layers/" + e.stage(), e.getMessage());
        }
        int outputs = trainer.network().outputSize();
        int width = trainer.lossFunction().loss().targetWidth(outputs);
        Dataset trainSet = train.dataset(width, outputs, cfg.dtype(), cfg.file());
        Optional<Dataset> validationSet = validation.isPresent()
                ? Optional.of(validation.get().dataset(width, outputs, cfg.dtype(), cfg.file())) : Optional.empty();

        Optional<Checkpoints> checkpoints = outDir == null ? Optional.empty() : Optional.of(checkpoints(cfg, src));
        Optional<TrainingState> resumeFrom = resumeState(checkpoints, err);
        MetricsLog metrics = new MetricsLog(trainer, train, trainSet, validation, validationSet,
                Optional.ofNullable(outDir).map(d -> d.resolve("metrics.jsonl")), resumeFrom.map(TrainingState::epoch).orElse(0));
        trainer.addListener(metrics);
        Progress progress = new Progress(err, !quiet && System.console() != null ? System.err : null,
                cfg.options().maxEpochs(), metrics::summary);
        if (!quiet) {
            trainer.addListener(progress);
        }
        checkpoints.ifPresent(c -> saveCheckpoints(trainer, c));
        signals.watch(trainer);
        if (signals.signalled()) {
            err.println("Stopped before training began; nothing was written.");
            return NnCommand.FAILURE;
        }
        TrainingResult result;
        try {
            result = resumeFrom.isPresent() ? trainer.resume(trainSet, resumeFrom.get()) : trainer.fit(trainSet);
        } catch (dev.nnkit.core.train.StateMismatchException e) { // thrown before any training step
            throw new dev.nnkit.io.InvalidFileException(resumedCheckpoint, "", e.getMessage()
                    + " Resume with the config this run was started with, or start afresh in another directory.");
        } catch (UncheckedIOException e) { // a checkpoint or metrics.jsonl could not be written
            throw new IOException(e.getCause().getMessage() + " " + retryHint(checkpoints, cfg), e.getCause());
        }
        if (result.reason() == dev.nnkit.core.train.StopReason.STOPPED) {
            progress.stop();
            return stopped(registry, cfg, trainer, train, normalizer, metrics, checkpoints, result);
        }

        out.printf(Locale.ROOT, "Trained %s (%d parameters) for %d epochs, %d steps; stopped: %s.%n",
                shape(trainer), trainer.network().parameterCount(), result.epochs(), result.iterations(),
                result.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        report(out, "train", trainer, trainSet, train);
        if (validationSet.isPresent()) {
            report(out, "validation", trainer, validationSet.get(), validation.get());
        }
        if (outDir != null) {
            saveRun(registry, cfg, trainer, train, normalizer, metrics, checkpoints, "Training finished, but");
            out.println("Wrote " + outDir.resolve("model") + ", metrics.jsonl and curves.png in " + outDir);
        }
        return NnCommand.OK;
    }

    /** After a signal: the model so far beside the stop's checkpoint, and where both are. */
    private int stopped(PluginRegistry registry, TrainingConfig cfg, Trainer trainer, LoadedData train,
                        Optional<Normalizer> normalizer, MetricsLog metrics, Optional<Checkpoints> checkpoints,
                        TrainingResult result) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        String where = String.format(Locale.ROOT, "Stopped at epoch %d, step %d.", result.epochs(), result.iterations());
        if (outDir == null) {
            err.println(where + " Nothing was saved: add --out DIR to keep a run you can resume.");
            return NnCommand.FAILURE;
        }
        saveRun(registry, cfg, trainer, train, normalizer, metrics, checkpoints, "Stopped, but");
        List<Path> saved = checkpoints.orElseThrow().list();
        err.println(where + " Wrote the checkpoint " + saved.get(saved.size() - 1) + " and the model so far in "
                + outDir.resolve("model") + ". Continue with: nn train --config " + config + " --resume " + outDir);
        return NnCommand.FAILURE; // the JVM exits with the signal's status (130, 143) once this returns
    }

    /** The model, then curves.png; a failure says what is kept and how to finish. */
    private void saveRun(PluginRegistry registry, TrainingConfig cfg, Trainer trainer, LoadedData train,
                         Optional<Normalizer> normalizer, MetricsLog metrics, Optional<Checkpoints> checkpoints,
                         String context) throws IOException {
        String predictionActivation = trainer.lossFunction().loss().predictionActivation();
        Model model = new Model(trainer.network(), cfg.loss(), predictionActivation,
                registry.activation(PluginSpec.of(predictionActivation)), normalizer,
                new Model.Labels(train.table().featureNames(), train.table().targetName(),
                        train.classNames(trainer.network().outputSize())),
                Map.of("library", "nnkit " + NnCommand.VERSION, "seed", String.valueOf(cfg.options().seed()),
                        "configHash", configHash(cfg)));
        Path modelDir = outDir.resolve("model");
        try {
            // The model is its own directory, replaced atomically; checkpoints live beside it.
            ModelFiles.save(model, modelDir, registry);
        } catch (IOException e) {
            throw new IOException(context + " could not write the model " + modelDir + ": " + WriteFailure.reason(e)
                    + ". " + retryHint(checkpoints, cfg), e);
        }
        if (!metrics.rows().isEmpty()) {
            Path png = outDir.resolve("curves.png");
            try {
                Curves.write(metrics.rows(), metrics.metricName(), png);
            } catch (IOException e) {
                throw new IOException(context + " could not write " + png + ": " + WriteFailure.reason(e) + ". The model "
                        + "is saved in " + modelDir + "; metrics.jsonl holds the same numbers.", e);
            }
        }
    }

    /** What is kept after a failed write, and the command that continues. */
    private String retryHint(Optional<Checkpoints> checkpoints, TrainingConfig cfg) throws IOException {
        List<Path> saved = checkpoints.isPresent() ? checkpoints.get().list() : List.of();
        if (saved.isEmpty()) {
            return "No checkpoint of this run was written (--checkpoint-every STEPS keeps some); fix the cause (free "
                    + "space, permissions) and train again.";
        }
        return "The newest complete checkpoint, " + saved.get(saved.size() - 1) + ", is intact: fix the cause (free "
                + "space, permissions), then continue with: nn train --config " + config + " --resume " + outDir;
    }
    private TrainingConfig readConfig(PluginRegistry registry) throws IOException {
        TrainingConfig cfg;
        try {
            cfg = new TrainingConfigReader(registry).read(config, sets);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        TrainingOptions options = cfg.options();
        if (epochs != null) {
            options = options.withMaxEpochs(epochs);
        }
        if (seed != null) {
            options = options.withSeed(seed);
        }
        cfg = cfg.withOptions(options);
        if (data != null || validationFile != null) {
            cfg = cfg.withData(cfg.data().withFiles(data != null ? data : cfg.data().train(),
                    validationFile != null ? Optional.of(validationFile) : cfg.data().validation()));
        }
        return cfg;
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

    /** DIR/checkpoints, recording the config and the training data they belong to. */
    private Checkpoints checkpoints(TrainingConfig cfg, DataSource src) throws IOException {
        List<Path> files = new ArrayList<>(List.of(src.train()));
        src.trainLabels().ifPresent(files::add);
        Checkpoints c = new Checkpoints(outDir.resolve("checkpoints"), 3, configHash(cfg), DataFingerprint.of(files));
        return allowDataChange ? c.acceptingOtherData() : c;
    }

    /** Every --checkpoint-every steps, and when a signal stops training. */
    private void saveCheckpoints(Trainer trainer, Checkpoints checkpoints) {
        java.util.function.Consumer<TrainingState> save = state -> {
            try {
                checkpoints.save(state);
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException("Could not write the checkpoint of step "
                        + state.iterations() + " in " + outDir.resolve("checkpoints") + ": " + WriteFailure.reason(e)
                        + ".", e));
            }
        };
        if (checkpointEvery != null) {
            trainer.checkpointEvery(checkpointEvery, save);
        }
        trainer.checkpointOnStop(save);
    }

    /** The newest checkpoint's state when resuming. */
    private Optional<TrainingState> resumeState(Optional<Checkpoints> checkpoints, PrintWriter err) throws IOException {
        if (resumeDir == null) {
            return Optional.empty();
        }
        List<Path> all = checkpoints.orElseThrow().list();
        resumedCheckpoint = all.isEmpty() ? outDir : all.get(all.size() - 1);
        Optional<TrainingState> latest;
        try {
            latest = checkpoints.get().latest();
        } catch (dev.nnkit.io.checkpoint.DataChangedException e) {
            throw new InvalidFileException(e.file(), e.place(), e.problem()
                    + " To continue on the new data deliberately, add --allow-data-change.");
        }
        err.println(latest.map(st -> "Resuming at epoch " + st.epoch() + ", step " + st.iterations() + ".")
                .orElse("No checkpoint in " + outDir.resolve("checkpoints") + "; starting afresh."));
        return latest;
    }

    /** Identifies the config file's content plus the command-line overrides that change training. */
    private String configHash(TrainingConfig cfg) throws IOException {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(java.nio.file.Files.readAllBytes(config));
            for (String s : sets) {
                md.update(("\n--set " + s).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (seed != null) {
                md.update(("\n--seed " + seed).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return "sha256:" + java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static void report(PrintWriter out, String name, Trainer trainer, Dataset data, LoadedData table) {
        double loss = trainer.evaluateLoss(data);
        var p = trainer.predict(data.features());
        if (!table.classes().isEmpty()) {
            out.printf(Locale.ROOT, "%-10s loss %.6f  accuracy %.2f%%%n", name, loss,
                    100 * dev.nnkit.core.train.Metrics.accuracy(p, table.target()));
        } else if (p.shape().cols() == 1) {
            out.printf(Locale.ROOT, "%-10s loss %.6f  RMSE %.6f  R² %.4f%n", name, loss,
                    dev.nnkit.core.train.Metrics.rmse(p, table.target()), dev.nnkit.core.train.Metrics.r2(p, table.target()));
        } else {
            out.printf(Locale.ROOT, "%-10s loss %.6f%n", name, loss);
        }
    }

    static String shape(Trainer t) {
        StringBuilder sb = new StringBuilder().append(t.network().inputSize());
        t.network().stages().stream().filter(s -> !s.layer().parameters().isEmpty())
                .forEach(s -> sb.append('-').append(s.layer().outputShape().size()));
        return sb.toString();
    }
}
