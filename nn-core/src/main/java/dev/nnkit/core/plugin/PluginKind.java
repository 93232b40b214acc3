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
    LAYER(LayerProvider.class, 2),
    ACTIVATION(ActivationProvider.class, 1),
    INITIALIZER(InitializerProvider.class, 1),
    LOSS(LossProvider.class, 1),
    OPTIMIZER(OptimizerProvider.class, 1),
    SCHEDULE(LearningRateScheduleProvider.class, 1);

    @SuppressWarnings("rawtypes")
    private final Class<? extends PluginProvider> serviceType;
    private final int oldestSpiVersion;

    @SuppressWarnings("rawtypes")
    PluginKind(Class<? extends PluginProvider> serviceType, int oldestSpiVersion) {
        this.serviceType = serviceType;
        this.oldestSpiVersion = oldestSpiVersion;
    }

    /**
     * The oldest {@link PluginProvider#spiVersion()} whose providers of this kind still work: the
     * version in which this kind's interface last changed incompatibly.
     */
    public int oldestSpiVersion() {
        return oldestSpiVersion;
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
