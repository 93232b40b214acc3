package dev.nnkit.core.builtin;

import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.tck.ActivationContract;

class EluActivationTest extends ActivationContract {
    @Override
    protected ActivationProvider<?> provider() {
        return new ActivationProviders.Elu();
    }
}
