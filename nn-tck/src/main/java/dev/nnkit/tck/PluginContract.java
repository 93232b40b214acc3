package dev.nnkit.tck;

import dev.nnkit.api.plugin.PluginProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every plugin's provider must satisfy, whatever its kind; the kind's contract
 * ({@link LossContract}, {@link OptimizerContract}, {@link ActivationContract}) adds the rest.
 *
 * @param <P> the provider type
 */
public abstract class PluginContract<P extends PluginProvider<?, ?>> {

    /** The provider under test. */
    protected abstract P provider();

    /**
     * Settings the provider must reject, beyond those the kit probes itself (NaN and ±∞ for every
     * floating-point setting; a negative {@code learningRate}, {@code lr}, {@code weightDecay},
     * {@code momentum}, {@code epsilon} or {@code eps}; {@code beta1} or {@code beta2}
     * outside [0, 1)). Each map is a whole config; the check names the setting that differs from
     * the defaults.
     */
    protected List<Map<String, Object>> invalidSettings() {
        return List.of();
    }

    @Test
    @DisplayName("its provider says which plugin interfaces it was built against")
    protected void declaresSpiVersion() {
        org.assertj.core.api.Assertions.assertThat(provider().spiVersion())
                .as("spiVersion() of %s: override it as 'return SPI_VERSION;' so nnkit can tell at discovery that a"
                        + " plugin was built for another version", provider().getClass().getName())
                .isEqualTo(PluginProvider.SPI_VERSION);
    }

    @Test
    @DisplayName("its provider has a valid id and a default config")
    protected void providerIsWellFormed() {
        ProviderChecks.wellFormed(provider());
    }

    @Test
    @DisplayName("its settings round-trip through plain config values")
    protected void roundTrip() {
        SettingsChecks.roundTrips(provider());
    }

    @Test
    @DisplayName("its settings reject NaN, infinities, out-of-range well-known settings and the author's invalid settings, naming the setting")
    protected void rejectsBadSettings() {
        SettingsChecks.rejects(provider(), invalidSettings());
    }
}
