package dev.nnkit.io.config;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.io.csv.CsvTableReader.TargetKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A training run as a config file describes it: where the data is, and everything of a
 * {@link TrainingSpec} but the input width, which comes from the data. Immutable.
 *
 * @param file the config file itself
 * @param train training data (CSV), resolved against the config's directory
 * @param validation optional validation data (CSV)
 * @param target the target column's name; empty for the last column
 * @param targetKind whether the target holds class labels or numbers (auto: labels unless all numeric)
 * @param normalize {@code none}, {@code standardize} or {@code min-max}, fitted on the training data
 * @param layers the network's stages
 * @param dtype float32 or float64
 * @param loss the loss plugin
 * @param reduction how per-sample losses combine
 * @param optimizer the optimizer plugin
 * @param schedule the learning-rate schedule plugin
 * @param options batches, stopping conditions, seed
 */
public record TrainingConfig(Path file, Path train, Optional<Path> validation, Optional<String> target,
                             TargetKind targetKind,
                             String normalize, List<PluginSpec> layers, DType dtype, PluginSpec loss,
                             Reduction reduction, PluginSpec optimizer, PluginSpec schedule, TrainingOptions options) {
    public TrainingConfig {
        layers = List.copyOf(layers);
    }

    /** The spec for data with {@code inputs} features. */
    public TrainingSpec toSpec(int inputs) {
        return new TrainingSpec(new NetworkSpec(inputs, layers, dtype), loss, reduction, optimizer, schedule, options);
    }

    /** The same config with other training options (command-line overrides). */
    public TrainingConfig withOptions(TrainingOptions newOptions) {
        return new TrainingConfig(file, train, validation, target, targetKind, normalize, layers, dtype, loss, reduction,
                optimizer, schedule, newOptions);
    }
}
