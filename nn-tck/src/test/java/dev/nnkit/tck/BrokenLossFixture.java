package dev.nnkit.tck;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import java.util.SplittableRandom;

/**
 * A plugin author's test of a loss with a wrong gradient: ℓ = Σ (ŷ − y)² but ∂ℓ/∂ŷ written as
 * (ŷ − y), half the truth (seed 003's slip). Not a test of this build: {@link ContractsCatchBugsTest}
 * runs it through the JUnit engine and expects it to fail. (No "Test" suffix, so Surefire skips it.)
 */
class BrokenLossFixture extends LossContract {
    static final class HalfGradientProvider extends SettinglessProvider<Loss> implements LossProvider<NoConfig> {
        @Override
        public int spiVersion() {
            return SPI_VERSION; // broken in one way only: see the class comment
        }

        HalfGradientProvider() {
            super("half-gradient", "Σ (ŷ − y)² with the gradient halved by mistake");
        }

        @Override
        public Loss create(NoConfig config) {
            return (p, y, g) -> {
                double s = 0;
                for (int j = 0; j < p.length; j++) {
                    double d = p[j] - y[j];
                    s += d * d;
                    g[j] = d; // wrong: should be 2d
                }
                return s;
            };
        }
    }

    @Override
    protected LossProvider<?> provider() {
        return new HalfGradientProvider();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return new Sample(r.doubles(k, -1, 1).toArray(), r.doubles(k, -1, 1).toArray());
    }
}
