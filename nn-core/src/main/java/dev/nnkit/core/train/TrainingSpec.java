package dev.nnkit.core.train;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import java.util.Objects;

/**
 * Everything that defines a training run, with plugins named by id: what a config file holds.
 * Immutable.
 *
 * @param network the architecture
 * @param loss the loss plugin and its settings
 * @param reduction how per-sample losses are combined
 * @param optimizer the optimizer plugin and its settings
 * @param schedule the learning-rate schedule plugin ({@code constant} by default)
 * @param options batches, stopping conditions, gradient clipping, penalties and seed
 */
public record TrainingSpec(NetworkSpec network, PluginSpec loss, Reduction reduction, PluginSpec optimizer,
                           PluginSpec schedule, TrainingOptions options) {
    public TrainingSpec {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(reduction, "reduction");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(options, "options");
    }

    /** A spec with a constant learning rate. */
    public TrainingSpec(NetworkSpec network, PluginSpec loss, Reduction reduction, PluginSpec optimizer,
                        TrainingOptions options) {
        this(network, loss, reduction, optimizer, PluginSpec.of("constant"), options);
    }
}
