package dev.nnkit.core.builtin;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.core.config.GeluConfig;
import dev.nnkit.tck.ActivationContract;

/** The contract for GELU's tanh approximation, a setting away from the default. */
class GeluTanhActivationTest extends ActivationContract {
    @Override
    protected ActivationProvider<?> provider() {
        return new ActivationProviders.Gelu();
    }

    @Override
    protected Activation activation() {
        return new ActivationProviders.Gelu().create(new GeluConfig("tanh"));
    }
}
