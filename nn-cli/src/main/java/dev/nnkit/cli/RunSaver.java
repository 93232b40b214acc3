package dev.nnkit.cli;

import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.io.checkpoint.Checkpoints;
import dev.nnkit.io.config.TrainingConfig;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes what a run leaves in its {@code --out} directory besides checkpoints and metrics.jsonl:
 * the model and curves.png. When a write fails, the message says what is kept on disk and the
 * command that continues the run.
 */
final class RunSaver {
    private final Path outDir;
    private final Checkpoints checkpoints;
    private final String continueCommand;
    private Map<String, String> facts = Map.of();
    private Optional<Normalizer> targetNormalizer = Optional.empty();

    /**
     * @param continueCommand the {@code nn train … --resume DIR} line that continues this run
     */
    RunSaver(Path outDir, Checkpoints checkpoints, String continueCommand) {
        this.outDir = outDir;
        this.checkpoints = checkpoints;
        this.continueCommand = continueCommand;
    }

    Path outDir() {
        return outDir;
    }

    Checkpoints checkpoints() {
        return checkpoints;
    }

    /** The newest checkpoint on disk, if any. */
    Optional<Path> newestCheckpoint() throws IOException {
        List<Path> saved = checkpoints.list();
        return saved.isEmpty() ? Optional.empty() : Optional.of(saved.get(saved.size() - 1));
    }

    /** Facts of the run for model.json's metadata (the validation split, the restored epoch). */
    void record(Map<String, String> runFacts) {
        this.facts = Map.copyOf(runFacts);
    }

    /** The standardization of the target the model undoes at prediction (data.normalizeTarget). */
    void targetNormalizer(Optional<Normalizer> n) {
        this.targetNormalizer = n;
    }

    String continueCommand() {
        return continueCommand;
    }

    /**
     * The model, then curves.png.
     *
     * @param context how the failure message begins ("Training finished, but")
     */
    void save(PluginRegistry registry, TrainingConfig cfg, Trainer trainer, LoadedData train,
              Optional<Normalizer> normalizer, MetricsLog metrics, String configHash, String context) throws IOException {
        String predictionActivation = trainer.lossFunction().loss().predictionActivation();
        Map<String, String> metadata = new java.util.LinkedHashMap<>(Map.of("library", "nnkit " + NnCommand.VERSION,
                "seed", String.valueOf(cfg.options().seed()), "configHash", configHash));
        metadata.putAll(facts);
        Model model = new Model(trainer.network(), cfg.loss(), predictionActivation,
                registry.activation(PluginSpec.of(predictionActivation)), normalizer,
                new Model.Labels(train.table().featureNames(), train.table().targetName(),
                        train.classNames(trainer.network().outputSize())),
                metadata, LoadedData.pixelScale(train.file()), targetNormalizer,
                train.columns().filter(dev.nnkit.io.csv.Columns::encodes)); // plain numeric columns: read by name
        Path modelDir = outDir.resolve("model");
        try {
            // The model is its own directory, replaced atomically; checkpoints live beside it.
            ModelFiles.save(model, modelDir, registry);
        } catch (IOException e) {
            throw new IOException(context + " could not write the model " + modelDir + ": " + WriteFailure.reason(e)
                    + ". " + retryHint(), e);
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
    String retryHint() throws IOException {
        Optional<Path> newest = newestCheckpoint();
        if (newest.isEmpty()) {
            return "No checkpoint of this run was written yet (--checkpoint-every STEPS writes some along the way); "
                    + "fix the cause (free space, permissions) and train again.";
        }
        return "The newest complete checkpoint, " + newest.get() + ", is intact: fix the cause (free space, "
                + "permissions), then continue with: " + continueCommand;
    }
}
