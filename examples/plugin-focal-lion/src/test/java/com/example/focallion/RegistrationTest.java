package com.example.focallion;

import com.example.focallion.internal.ChannelScaleLayerProvider;
import com.example.focallion.internal.FocalLossProvider;
import com.example.focallion.internal.LionOptimizerProvider;
import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.tck.RegistrationContract;
import java.util.List;

/** The plugins are registered for both paths: META-INF/services and module-info agree. */
class RegistrationTest extends RegistrationContract {
    @Override
    protected List<PluginProvider<?, ?>> providers() {
        return List.of(new FocalLossProvider(), new LionOptimizerProvider(), new ChannelScaleLayerProvider());
    }
}
