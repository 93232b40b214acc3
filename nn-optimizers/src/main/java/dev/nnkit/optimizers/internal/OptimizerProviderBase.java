package dev.nnkit.optimizers.internal;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.OptimizerProvider;
import java.util.function.Function;

/** The shell every built-in optimizer provider shares: id, description, config type, defaults, factory. */
abstract class OptimizerProviderBase<C extends Record> implements OptimizerProvider<C> {
    private final String id;
    private final String description;
    private final Class<C> type;
    private final C defaults;
    private final Function<C, Optimizer> factory;

    OptimizerProviderBase(String id, String description, Class<C> type, C defaults, Function<C, Optimizer> factory) {
        this.id = id;
        this.description = description;
        this.type = type;
        this.defaults = defaults;
        this.factory = factory;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Class<C> configType() {
        return type;
    }

    @Override
    public final C defaultConfig() {
        return defaults;
    }

    @Override
    public final Optimizer create(C config) {
        return factory.apply(config);
    }
}
