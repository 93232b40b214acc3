package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.plugin.NoConfig;

/** Shared shell of the loss providers without settings: id, description, one loss instance. */
abstract class SettinglessLossProvider implements LossProvider<NoConfig> {
    private final String id;
    private final String description;
    private final Loss loss;

    SettinglessLossProvider(String id, String description, Loss loss) {
        this.id = id;
        this.description = description;
        this.loss = loss;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public final NoConfig defaultConfig() {
        return NoConfig.INSTANCE;
    }

    @Override
    public final Loss create(NoConfig config) {
        return loss; // stateless, so one instance serves every network
    }
}
