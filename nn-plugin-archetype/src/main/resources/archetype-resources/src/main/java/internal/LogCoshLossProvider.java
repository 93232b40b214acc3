package ${package}.internal;

import ${package}.LogCoshConfig;
import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.plugin.BasicPluginProvider;

/**
 * The ${pluginId} loss: ℓ = Σⱼ δ · log cosh(dⱼ / δ) with d = ŷ − y, and ∂ℓ/∂ŷⱼ = tanh(dⱼ / δ).
 * log cosh x is computed as |x| + log1p(e^(−2|x|)) − log 2, which neither overflows nor loses the
 * small values. Registered in module-info.java and in META-INF/services.
 */
public final class LogCoshLossProvider extends BasicPluginProvider<LogCoshConfig, Loss>
        implements LossProvider<LogCoshConfig> {
    private static final double LOG_2 = Math.log(2);

    /** The public no-argument constructor ServiceLoader calls. */
    public LogCoshLossProvider() {
        super("${pluginId}", "δ · log cosh((ŷ − y) / δ)", LogCoshConfig.class, new LogCoshConfig(1));
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION; // the plugin interfaces this was built against, checked at discovery
    }

    @Override
    public Loss create(LogCoshConfig config) {
        double delta = config.delta();
        return (prediction, target, gradient) -> {
            double sum = 0;
            for (int j = 0; j < prediction.length; j++) {
                double x = (prediction[j] - target[j]) / delta;
                double ax = Math.abs(x);
                sum += delta * (ax + Math.log1p(Math.exp(-2 * ax)) - LOG_2);
                gradient[j] = Math.tanh(x);
            }
            return sum;
        };
    }
}
