package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.losses.HuberConfig;
import dev.nnkit.losses.SmoothL1Config;

/** Regression losses that grow linearly for large errors, each averaged over the k outputs. */
public final class RobustLosses {
    private RobustLosses() {
    }

    /** {@code mae}: ℓ = 1/k Σⱼ |ŷⱼ − yⱼ|, as {@code torch.nn.L1Loss}; the gradient at 0 is 0. */
    public static final class MeanAbsoluteError extends SettinglessLossProvider {
        public MeanAbsoluteError() {
            super("mae", "Mean absolute error: ℓ = 1/k Σ |ŷ − y|", (p, y, g) -> {
                double s = 0;
                for (int j = 0; j < p.length; j++) {
                    double d = p[j] - y[j];
                    s += Math.abs(d);
                    g[j] = Math.signum(d) / p.length;
                }
                return s / p.length;
            });
        }
    }

    /** {@code huber}: ½d² for |d| &lt; δ, else δ(|d| − ½δ), as {@code torch.nn.HuberLoss}. */
    public static final class Huber implements LossProvider<HuberConfig> {
        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public String id() {
            return "huber";
        }

        @Override
        public String description() {
            return "Huber: ℓ = 1/k Σ (½d² if |d| < δ else δ(|d| − ½δ)), d = ŷ − y";
        }

        @Override
        public Class<HuberConfig> configType() {
            return HuberConfig.class;
        }

        @Override
        public HuberConfig defaultConfig() {
            return new HuberConfig(1.0);
        }

        @Override
        public Loss create(HuberConfig c) {
            return (p, y, g) -> piecewise(p, y, g, c.delta(), c.delta());
        }
    }

    /** {@code smooth-l1}: ½d²/β for |d| &lt; β, else |d| − ½β, as {@code torch.nn.SmoothL1Loss} (Huber / β). */
    public static final class SmoothL1 implements LossProvider<SmoothL1Config> {
        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public String id() {
            return "smooth-l1";
        }

        @Override
        public String description() {
            return "Smooth L1: ℓ = 1/k Σ (½d²/β if |d| < β else |d| − ½β), d = ŷ − y";
        }

        @Override
        public Class<SmoothL1Config> configType() {
            return SmoothL1Config.class;
        }

        @Override
        public SmoothL1Config defaultConfig() {
            return new SmoothL1Config(1.0);
        }

        @Override
        public Loss create(SmoothL1Config c) {
            return (p, y, g) -> piecewise(p, y, g, c.beta(), 1.0);
        }
    }

    /**
     * 1/k Σ of ½d²·(scale/width) inside |d| &lt; width and scale·(|d| − ½width) outside: Huber has
     * scale = δ, smooth L1 scale = 1, with width δ or β.
     */
    static double piecewise(double[] p, double[] y, double[] g, double width, double scale) {
        double s = 0;
        int k = p.length;
        for (int j = 0; j < k; j++) {
            double d = p[j] - y[j];
            double a = Math.abs(d);
            if (a < width) {
                s += 0.5 * d * d * scale / width;
                g[j] = d * scale / width / k;
            } else {
                s += scale * (a - 0.5 * width);
                g[j] = scale * Math.signum(d) / k;
            }
        }
        return s / k;
    }
}
