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

    @Option(names = "--quiet", description = "No progress bar and no per-epoch lines on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (resumeDir != null) {
            if (outDir != null && !outDir.equals(resumeDir)) {
                throw new ParameterException(spec.commandLine(), "--resume " + resumeDir + " continues that run; drop --out "
                        + outDir + " or make it the same directory.");
            }
            outDir = resumeDir;
        }
        if (checkpointEvery != null && outDir == null) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-every needs --out DIR: checkpoints live in "
                    + "DIR/checkpoints.");
        }
        PluginRegistry registry = PluginRegistry.discover();
        TrainingConfig cfg = readConfig(registry);

        DataSource src = cfg.data();
        LoadedData train = LoadedData.read(src.train(), src.trainLabels(), src.target(), src.targetKind(),
                src.classNames(), src.limit(), cfg.dtype());
        Optional<LoadedData> validation = src.validation().isPresent()
                ? Optional.of(LoadedData.read(src.validation().get(), src.validationLabels(),
                        Optional.of(train.table().targetName()), src.targetKind(), train.classes(), src.limit(), cfg.dtype()))
                : Optional.empty();
        if (validation.isPresent() && !validation.get().table().featureNames().equals(train.table().featureNames())) {
            throw new InvalidFileException(validation.get().file(), "line 1", "columns " + validation.get().table()
                    .featureNames() + " differ from the training data's " + train.table().featureNames() + ".");
        }
        Optional<Normalizer> normalizer = fitNormalizer(cfg, train);
        train.normalize(normalizer);
        validation.ifPresent(v -> v.normalize(normalizer));

        Trainer trainer;
        try {
            trainer = Trainers.create(cfg.toSpec(train.features().shape().sample()), registry);
        } catch (dev.nnkit.core.network.StageException e) { // a layer that cannot take what it receives
            throw new dev.nnkit.io.InvalidFileException(cfg.file(), "/layers/" + e.stage(), e.getMessage());
        }
        int width = trainer.lossFunction().loss().targetWidth(trainer.network().outputSize());
        Dataset trainSet = train.dataset(width, cfg.dtype(), cfg.file());
        Optional<Dataset> validationSet = validation.isPresent()
                ? Optional.of(validation.get().dataset(width, cfg.dtype(), cfg.file())) : Optional.empty();

        MetricsLog metrics = new MetricsLog(trainer, train, trainSet, validation, validationSet,
                Optional.ofNullable(outDir).map(d -> d.resolve("metrics.jsonl")));
        trainer.addListener(metrics);
        if (!quiet) {
            trainer.addListener(new Progress(err, System.console() != null ? System.err : null,
                    cfg.options().maxEpochs(), metrics::summary));
        }
        Optional<TrainingState> resumeFrom = checkpoints(trainer, cfg, err);
        TrainingResult result;
        try {
            result = resumeFrom.isPresent() ? trainer.resume(trainSet, resumeFrom.get()) : trainer.fit(trainSet);
        } catch (dev.nnkit.core.train.StateMismatchException e) { // thrown before any training step
            throw new dev.nnkit.io.InvalidFileException(resumedCheckpoint, "", e.getMessage()
                    + " Resume with the config this run was started with, or start afresh in another directory.");
        }

        out.printf(Locale.ROOT, "Trained %s (%d parameters) for %d epochs, %d steps; stopped: %s.%n",
                shape(trainer), trainer.network().parameterCount(), result.epochs(), result.iterations(),
                result.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        report(out, "train", trainer, trainSet, train);
        if (validationSet.isPresent()) {
            report(out, "validation", trainer, validationSet.get(), validation.get());
        }
        if (outDir != null) {
            String predictionActivation = trainer.lossFunction().loss().predictionActivation();
            Model model = new Model(trainer.network(), cfg.loss(), predictionActivation,
                    registry.activation(PluginSpec.of(predictionActivation)), normalizer,
                    new Model.Labels(train.table().featureNames(), train.table().targetName(), train.classes()),
                    Map.of("library", "nnkit " + NnCommand.VERSION, "seed", String.valueOf(cfg.options().seed()),
                            "configHash", configHash(cfg)));
            // The model is its own directory, replaced atomically; checkpoints live beside it.
            ModelFiles.save(model, outDir.resolve("model"), registry);
            if (!metrics.rows().isEmpty()) {
                Curves.write(metrics.rows(), metrics.metricName(), outDir.resolve("curves.png"));
            }
            out.println("Wrote " + outDir.resolve("model") + ", metrics.jsonl and curves.png in " + outDir);
        }
        return NnCommand.OK;
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

    /** Sets up checkpointing and finds the state to resume from, if asked. */
    /** The checkpoint a run resumes from, for messages. */
    private Path resumedCheckpoint;

    private Optional<TrainingState> checkpoints(Trainer trainer, TrainingConfig cfg, PrintWriter err) throws IOException {
        if (outDir == null || checkpointEvery == null && resumeDir == null) {
            return Optional.empty();
        }
        Checkpoints checkpoints = new Checkpoints(outDir.resolve("checkpoints"), 3, configHash(cfg));
        if (checkpointEvery != null) {
            trainer.checkpointEvery(checkpointEvery, state -> {
                try {
                    checkpoints.save(state);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        if (resumeDir == null) {
            return Optional.empty();
        }
        Optional<TrainingState> latest = checkpoints.latest();
        List<Path> all = checkpoints.list();
        resumedCheckpoint = all.isEmpty() ? outDir : all.get(all.size() - 1);
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
