package dev.nnkit.optimizers.internal;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.OptimizerProvider;
import dev.nnkit.api.plugin.BasicPluginProvider;
import java.util.function.Function;

/** The shell every built-in optimizer provider shares: the basics plus a factory. */
abstract class OptimizerProviderBase<C extends Record> extends BasicPluginProvider<C, Optimizer>
        implements OptimizerProvider<C> {
    @Override
    public final int spiVersion() {
        return SPI_VERSION;
    }

    private final Function<C, Optimizer> factory;

    OptimizerProviderBase(String id, String description, Class<C> type, C defaults, Function<C, Optimizer> factory) {
        super(id, description, type, defaults);
        this.factory = factory;
    }

    @Override
    public final Optimizer create(C config) {
        return factory.apply(config);
    }
}
