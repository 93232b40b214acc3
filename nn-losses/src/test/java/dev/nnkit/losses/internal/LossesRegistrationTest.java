package dev.nnkit.losses.internal;

import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.tck.RegistrationContract;
import java.util.List;

/** Every plugin this module provides is found by ServiceLoader on a class path and on a module path. */
class LossesRegistrationTest extends RegistrationContract {
    @Override
    protected List<PluginProvider<?, ?>> providers() {
        return providedBy(BinaryLosses.class);
    }
}
