package ${package};

import ${package}.internal.LogCoshLossProvider;
import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.tck.RegistrationContract;
import java.util.List;

/** Every provider of this plugin is found by ServiceLoader on a class path and on a module path. */
class RegistrationTest extends RegistrationContract {
    @Override
    protected List<PluginProvider<?, ?>> providers() {
        return List.of(new LogCoshLossProvider()); // add each new provider here
    }
}
