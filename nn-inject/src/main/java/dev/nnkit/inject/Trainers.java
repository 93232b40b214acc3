package dev.nnkit.inject;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingSpec;

/** The front door: a ready {@link Trainer} for a spec, wired by one Guice injector. */
public final class Trainers {
    private Trainers() {
    }

    /** A trainer for {@code spec} with the plugins found on the class and module path. */
    public static Trainer create(TrainingSpec spec) {
        return create(spec, PluginRegistry.discover());
    }

    /**
     * A trainer for {@code spec} with the plugins of {@code registry}.
     *
     * @throws IllegalArgumentException when the spec names an unknown plugin or a bad setting
     */
    public static Trainer create(TrainingSpec spec, PluginRegistry registry) {
        Injector injector = Guice.createInjector(new TrainerModule(spec, registry));
        try {
            return injector.getInstance(Trainer.class);
        } catch (ProvisionException e) {
            // Surface the configuration error itself, not Guice's wrapper around it.
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException iae) {
                    throw iae;
                }
            }
            throw e;
        }
    }
}
