package dev.nnkit.cli;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.inject.Trainers;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Metrics;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingListener;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingResult;
import dev.nnkit.core.train.TrainingState;
import dev.nnkit.io.checkpoint.Checkpoints;
import picocli.CommandLine.ParameterException;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.config.TrainingConfig;
import dev.nnkit.io.config.TrainingConfigReader;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.csv.LabeledTable;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.io.data.MinMaxScaler;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.data.Standardizer;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import java.util.Map;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nn train}: trains the network a config describes on its CSV data and reports scores. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a network from a JSON config.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training config (JSON).")
    Path config;

    @Option(names = "--epochs", paramLabel = "N", description = "Override training.maxEpochs.")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S", description = "Override training.seed.")
    Long seed;

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the run here: DIR/model (model.json, model.safetensors) and DIR/checkpoints.")
    Path outDir;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS",
            description = "Write a checkpoint to DIR/checkpoints every STEPS optimizer steps (keeps the newest 3).")
    Long checkpointEvery;

    @Option(names = "--resume", description = "Continue from the newest checkpoint in DIR/checkpoints, bit-identically.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PluginRegistry registry = PluginRegistry.discover();
        TrainingConfig cfg = new TrainingConfigReader(registry).read(config);
        TrainingOptions options = cfg.options();
        if (epochs != null) {
            options = options.withMaxEpochs(epochs);
        }
        if (seed != null) {
            options = options.withSeed(seed);
        }
        cfg = cfg.withOptions(options);

        LabeledTable train = CsvTableReader.read(cfg.train(), cfg.target(), cfg.targetKind(), List.of(), cfg.dtype());
        Optional<LabeledTable> validation = cfg.validation().isPresent()
                ? Optional.of(CsvTableReader.read(cfg.validation().get(), Optional.of(train.targetName()),
                        cfg.targetKind(), train.classes(), cfg.dtype()))
                : Optional.empty();
        if (validation.isPresent() && !validation.get().featureNames().equals(train.featureNames())) {
            throw new InvalidFileException(cfg.validation().get(), "line 1", "columns " + validation.get().featureNames()
                    + " differ from the training data's " + train.featureNames() + ".");
        }
        Optional<Normalizer> normalizer;
        try {
            normalizer = switch (cfg.normalize()) {
                case "standardize" -> Optional.of(Standardizer.fit(train.features()));
                case "min-max" -> Optional.of(MinMaxScaler.fit(train.features()));
                default -> Optional.empty();
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(cfg.train(), "", e.getMessage());
        }
        normalizer.ifPresent(n -> {
            n.apply(train.features());
            validation.ifPresent(v -> n.apply(v.features()));
        });

        Trainer trainer = Trainers.create(cfg.toSpec(train.featureNames().size()), registry);
        int outputs = trainer.network().outputSize();
        int width = trainer.lossFunction().loss().targetWidth(outputs);
        Dataset trainSet = dataset(train, width, cfg);
        Optional<Dataset> validationSet = validation.isPresent()
                ? Optional.of(dataset(validation.get(), width, cfg)) : Optional.empty();

        if (!quiet) {
            trainer.addListener(progress(err, options.maxEpochs()));
        }
        Optional<TrainingState> resumeFrom = Optional.empty();
        if (checkpointEvery != null || resume) {
            if (outDir == null) {
                throw new ParameterException(spec.commandLine(), "--checkpoint-every and --resume need --out DIR: "
                        + "checkpoints live in DIR/checkpoints.");
            }
            Checkpoints checkpoints = new Checkpoints(outDir.resolve("checkpoints"), 3, "sha256:" + sha256(config));
            if (checkpointEvery != null) {
                trainer.checkpointEvery(checkpointEvery, state -> {
                    try {
                        checkpoints.save(state);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            if (resume) {
                resumeFrom = checkpoints.latest();
                err.println(resumeFrom.map(st -> "Resuming at epoch " + st.epoch() + ", step " + st.iterations() + ".")
                        .orElse("No checkpoint in " + outDir.resolve("checkpoints") + "; starting afresh."));
            }
        }
        TrainingResult result = resumeFrom.isPresent() ? trainer.resume(trainSet, resumeFrom.get()) : trainer.fit(trainSet);
        out.printf(Locale.ROOT, "Trained %s (%d parameters) for %d epochs, %d steps; stopped: %s.%n",
                shape(trainer), trainer.network().parameterCount(), result.epochs(), result.iterations(),
                result.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        report(out, "train", trainer, trainSet, train);
        if (validationSet.isPresent()) {
            report(out, "validation", trainer, validationSet.get(), validation.get());
        }
        if (outDir != null) {
            PluginSpec loss = cfg.loss();
            Model model = new Model(trainer.network(), loss, trainer.lossFunction().loss().predictionActivation(),
                    registry.activation(PluginSpec.of(trainer.lossFunction().loss().predictionActivation())), normalizer,
                    new Model.Labels(train.featureNames(), train.targetName(), train.classes()),
                    Map.of("library", "nnkit " + NnCommand.VERSION, "seed", String.valueOf(options.seed()),
                            "configHash", "sha256:" + sha256(config)));
            // The model is its own directory, replaced atomically; checkpoints live beside it.
            ModelFiles.save(model, outDir.resolve("model"), registry);
            out.println("Model saved to " + outDir.resolve("model"));
        }
        return NnCommand.OK;
    }

    private static Dataset dataset(LabeledTable t, int width, TrainingConfig cfg) throws InvalidFileException {
        try {
            return new Dataset(t.features(), t.targets(width, cfg.dtype()));
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(cfg.file(), "/layers", e.getMessage());
        }
    }

    private static String sha256(Path file) throws java.io.IOException {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(file));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static TrainingListener progress(PrintWriter err, int maxEpochs) {
        int every = Math.max(1, maxEpochs / 10);
        return new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEvent e) {
                if (e.epoch() == 1 || e.epoch() % every == 0) {
                    err.printf(Locale.ROOT, "epoch %5d  loss %.6g  (%.3f s)%n", e.epoch(), e.loss(), e.seconds());
                }
            }
        };
    }

    private static void report(PrintWriter out, String name, Trainer trainer, Dataset data, LabeledTable table) {
        double loss = trainer.evaluateLoss(data);
        Tensor p = trainer.predict(data.features());
        if (!table.classes().isEmpty()) {
            out.printf(Locale.ROOT, "%-10s loss %.6f  accuracy %.2f%%%n", name, loss, 100 * Metrics.accuracy(p, table.target()));
        } else if (p.shape().cols() == 1) {
            out.printf(Locale.ROOT, "%-10s loss %.6f  RMSE %.6f  R² %.4f%n", name, loss, Metrics.rmse(p, table.target()),
                    Metrics.r2(p, table.target()));
        } else {
            out.printf(Locale.ROOT, "%-10s loss %.6f%n", name, loss);
        }
    }

    private static String shape(Trainer t) {
        StringBuilder sb = new StringBuilder().append(t.network().inputSize());
        t.network().stages().stream().filter(s -> !s.layer().parameters().isEmpty())
                .forEach(s -> sb.append('-').append(s.layer().outputSize()));
        return sb.toString();
    }
}
