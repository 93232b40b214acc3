package dev.nnkit.core.plugin;

import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.api.init.InitializerProvider;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.optimizer.OptimizerProvider;
import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.api.schedule.LearningRateScheduleProvider;
import java.util.Locale;

/** The kinds of plugin nnkit discovers, each with its service interface. */
public enum PluginKind {
    LAYER(LayerProvider.class),
    ACTIVATION(ActivationProvider.class),
    INITIALIZER(InitializerProvider.class),
    LOSS(LossProvider.class),
    OPTIMIZER(OptimizerProvider.class),
    SCHEDULE(LearningRateScheduleProvider.class);

    @SuppressWarnings("rawtypes")
    private final Class<? extends PluginProvider> serviceType;

    @SuppressWarnings("rawtypes")
    PluginKind(Class<? extends PluginProvider> serviceType) {
        this.serviceType = serviceType;
    }

    /** The interface providers of this kind implement and register under. */
    @SuppressWarnings("rawtypes")
    public Class<? extends PluginProvider> serviceType() {
        return serviceType;
    }

    /** Lowercase name for messages: "optimizer". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
