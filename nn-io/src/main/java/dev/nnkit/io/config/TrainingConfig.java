package dev.nnkit.io.config;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.EarlyStopping;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A training run as a config file describes it: the data, and everything of a {@link TrainingSpec}
 * but the input width, which comes from the data. Immutable.
 *
 * @param file the config file itself
 * @param data where the data is and how to read it
 * @param layers the network's stages
 * @param dtype float32 or float64
 * @param loss the loss plugin
 * @param reduction how per-sample losses combine
 * @param optimizer the optimizer plugin
 * @param schedule the learning-rate schedule plugin
 * @param options batches, stopping conditions, seed
 * @param earlyStopping {@code training.earlyStopping}, when the config asks for it
 */
public record TrainingConfig(Path file, DataSource data, List<PluginSpec> layers, DType dtype, PluginSpec loss,
                             Reduction reduction, PluginSpec optimizer, PluginSpec schedule, TrainingOptions options,
                             Optional<EarlyStopping> earlyStopping) {
    public TrainingConfig {
        layers = List.copyOf(layers);
    }

    /** The spec for data with {@code inputs} features. */
    public TrainingSpec toSpec(int inputs) {
        return toSpec(Shape.of(inputs));
    }

    /** The spec for data whose samples have {@code inputShape} ({@code [4]}, {@code [1, 28, 28]}). */
    public TrainingSpec toSpec(Shape inputShape) {
        return new TrainingSpec(new NetworkSpec(inputShape, layers, dtype), loss, reduction, optimizer, schedule, options);
    }

    /**
     * Checks that the network can name every class of the data: one output per class, or one
     * output for two classes (a sigmoid loss). Fewer classes than outputs is fine (a class the
     * data lacks); more would fail in the middle of training with no file named, or save a model
     * that cannot load.
     *
     * @throws dev.nnkit.io.InvalidFileException at {@code /layers}, with both counts and the fix
     */
    public void checkClasses(List<String> classes, int outputs) throws dev.nnkit.io.InvalidFileException {
        if (classes.size() > outputs && !(outputs == 1 && classes.size() == 2)) {
            String names = String.join(", ", classes.subList(0, Math.min(classes.size(), 10)))
                    + (classes.size() > 10 ? ", …" : "");
            throw new dev.nnkit.io.InvalidFileException(file, "/layers", "the data has " + classes.size() + " classes ("
                    + dev.nnkit.io.json.JsonFields.printable(names) + ") but the network ends with " + outputs + " output"
                    + (outputs == 1 ? "" : "s") + "; give the last layer " + classes.size() + " units.");
        }
    }

    /**
     * Checks that what early stopping and the schedule watch is scored: a validation score needs
     * validation data (a file or {@code validationSplit}). Call it after command-line overrides.
     *
     * @throws dev.nnkit.io.InvalidFileException at the monitor, with the fix
     */
    public void checkMonitors(dev.nnkit.core.plugin.PluginRegistry registry) throws dev.nnkit.io.InvalidFileException {
        if (earlyStopping.isPresent()) {
            checkMonitor(earlyStopping.get().monitor(), "/training/earlyStopping/monitor");
        }
        checkMonitor(registry.schedule(schedule).monitor(), "/schedule/monitor");
    }

    private void checkMonitor(String monitor, String pointer) throws dev.nnkit.io.InvalidFileException {
        if (monitor.startsWith("validation") && !data.hasValidation()) {
            throw new dev.nnkit.io.InvalidFileException(file, pointer, "\"" + monitor + "\" is scored on validation "
                    + "data, and this run has none: add \"validationSplit\": 0.2 (or \"validation\": \"FILE\") to "
                    + "\"data\", or watch \"" + monitor.replace("validation", "train") + "\".");
        }
    }

    /** The same config with other training options (command-line overrides). */
    public TrainingConfig withOptions(TrainingOptions newOptions) {
        return new TrainingConfig(file, data, layers, dtype, loss, reduction, optimizer, schedule, newOptions,
                earlyStopping);
    }

    /** The same config with another data source (command-line overrides). */
    public TrainingConfig withData(DataSource newData) {
        return new TrainingConfig(file, newData, layers, dtype, loss, reduction, optimizer, schedule, options,
                earlyStopping);
    }
}
