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
 * @param options batches, stopping conditions and seed
 */
public record TrainingSpec(NetworkSpec network, PluginSpec loss, Reduction reduction, PluginSpec optimizer,
                           TrainingOptions options) {
    public TrainingSpec {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(reduction, "reduction");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(options, "options");
    }
}
