package dev.nnkit.core.builtin;

import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.tck.ActivationContract;

class SeluActivationTest extends ActivationContract {
    @Override
    protected ActivationProvider<?> provider() {
        return new ActivationProviders.Selu();
    }
}
