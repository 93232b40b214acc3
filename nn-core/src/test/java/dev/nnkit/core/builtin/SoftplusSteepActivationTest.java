package dev.nnkit.core.builtin;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.core.config.SoftplusConfig;
import dev.nnkit.tck.ActivationContract;

/** The contract for softplus with β = 2 and threshold 3: samples above z = 1.5 take the linear branch. */
class SoftplusSteepActivationTest extends ActivationContract {
    @Override
    protected ActivationProvider<?> provider() {
        return new ActivationProviders.Softplus();
    }

    @Override
    protected Activation activation() {
        return new ActivationProviders.Softplus().create(new SoftplusConfig(2, 3));
    }
}
