package dev.nnkit.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.nnkit.api.loss.Loss;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.core.random.RandomPlan;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingSpec;

/**
 * Wires a configured {@link Trainer} from a {@link TrainingSpec}: the plugin registry (discovered
 * once, or given), the network with seeded weights, the loss, the optimizer. Plugins carry no
 * injection annotations; this module is the only place that knows Guice.
 */
public final class TrainerModule extends AbstractModule {
    private final TrainingSpec spec;
    private final PluginRegistry registry;

    /** Wires with the plugins discovered on the class and module path. */
    public TrainerModule(TrainingSpec spec) {
        this(spec, PluginRegistry.discover());
    }

    /** Wires with the plugins of a given registry. */
    public TrainerModule(TrainingSpec spec, PluginRegistry registry) {
        this.spec = spec;
        this.registry = registry;
    }

    @Override
    protected void configure() {
        bind(TrainingSpec.class).toInstance(spec);
        bind(PluginRegistry.class).toInstance(registry);
    }

    /** Every random stream of the run, split from the seed in one declared order (see RandomPlan). */
    @Provides
    @Singleton
    RandomPlan randomPlan(TrainingSpec spec) {
        return new RandomPlan(spec.options().seed(), spec.network().stages().size());
    }

    @Provides
    @Singleton
    Network network(TrainingSpec spec, PluginRegistry registry, RandomPlan random) {
        return new NetworkFactory(registry).build(spec.network(), random);
    }

    @Provides
    @Singleton
    Loss loss(TrainingSpec spec, PluginRegistry registry) {
        return registry.loss(spec.loss());
    }

    @Provides
    @Singleton
    Trainer trainer(TrainingSpec spec, PluginRegistry registry, Network network, Loss loss, RandomPlan random) {
        return new Trainer(network, new LossFunction(loss, spec.reduction()), registry.optimizer(spec.optimizer()),
                registry.schedule(spec.schedule()), registry.activation(PluginSpec.of(loss.predictionActivation())),
                spec.options(), random.shuffling());
    }
}
