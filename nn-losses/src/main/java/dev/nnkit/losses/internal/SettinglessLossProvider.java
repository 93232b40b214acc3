package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;

/** Shared shell of the loss providers without settings: one stateless loss instance. */
abstract class SettinglessLossProvider extends SettinglessProvider<Loss> implements LossProvider<NoConfig> {
    @Override
    public final int spiVersion() {
        return SPI_VERSION;
    }

    private final Loss loss;

    SettinglessLossProvider(String id, String description, Loss loss) {
        super(id, description);
        this.loss = loss;
    }

    @Override
    public final Loss create(NoConfig config) {
        return loss; // stateless, so one instance serves every network
    }
}
