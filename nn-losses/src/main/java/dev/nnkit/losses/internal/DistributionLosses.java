package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.losses.PoissonConfig;

/** Losses that compare distributions, counts and directions. */
public final class DistributionLosses {
    /** Floor on ŷ inside log ŷ, as for cross-entropy. */
    private static final double P_FLOOR = 1e-12;
    /** Floor on vector norms, as {@code torch.nn.functional.cosine_similarity}'s eps. */
    private static final double NORM_FLOOR = 1e-8;

    private DistributionLosses() {
    }

    /**
     * {@code kl-divergence}: ℓ = Σⱼ yⱼ (log yⱼ − log ŷⱼ) with 0·log 0 = 0, predictions and targets
     * as probabilities; the batch mean equals {@code torch.nn.KLDivLoss(reduction='batchmean')} on log ŷ.
     */
    public static final class KlDivergence extends SettinglessLossProvider {
        public KlDivergence() {
            super("kl-divergence", "Kullback–Leibler divergence: ℓ = Σ y (log y − log ŷ)", (p, y, g) -> {
                double s = 0;
                for (int j = 0; j < p.length; j++) {
                    double q = Math.max(p[j], P_FLOOR);
                    if (y[j] > 0) {
                        s += y[j] * (Math.log(y[j]) - Math.log(q));
                    } else if (y[j] < 0) {
                        throw new IllegalArgumentException("KL divergence needs targets ≥ 0 (probabilities); got " + y[j] + ".");
                    }
                    g[j] = -y[j] / q;
                }
                return s;
            });
        }
    }

    /**
     * {@code cosine-distance}: ℓ = 1 − ŷ·y / (max(‖ŷ‖, ε)·max(‖y‖, ε)).
     */
    public static final class CosineDistance extends SettinglessLossProvider {
        public CosineDistance() {
            super("cosine-distance", "Cosine distance: ℓ = 1 − ŷ·y / (‖ŷ‖‖y‖)", (p, y, g) -> {
                double dot = 0;
                double pp = 0;
                double yy = 0;
                for (int j = 0; j < p.length; j++) {
                    dot += p[j] * y[j];
                    pp += p[j] * p[j];
                    yy += y[j] * y[j];
                }
                double np = Math.sqrt(pp);
                double a = Math.max(np, NORM_FLOOR);
                double b = Math.max(Math.sqrt(yy), NORM_FLOOR);
                double cos = dot / (a * b);
                for (int j = 0; j < p.length; j++) {
                    // ∂cos/∂ŷ = y/(ab) − cos·ŷ/‖ŷ‖² while ‖ŷ‖ > ε (else the norm is the constant ε)
                    double dcos = y[j] / (a * b) - (np > NORM_FLOOR ? cos * p[j] / (np * np) : 0);
                    g[j] = -dcos;
                }
                return 1 - cos;
            });
        }
    }

    /** {@code poisson}: Poisson negative log-likelihood, as {@code torch.nn.PoissonNLLLoss}, averaged over k. */
    public static final class Poisson implements LossProvider<PoissonConfig> {
        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public String id() {
            return "poisson";
        }

        @Override
        public String description() {
            return "Poisson NLL: ℓ = 1/k Σ (e^ŷ − y·ŷ) for log-rates, or (ŷ − y log(ŷ + ε)) for rates";
        }

        @Override
        public Class<PoissonConfig> configType() {
            return PoissonConfig.class;
        }

        @Override
        public PoissonConfig defaultConfig() {
            return new PoissonConfig(true, false, 1e-8);
        }

        @Override
        public Loss create(PoissonConfig c) {
            return (p, y, g) -> {
                int k = p.length;
                double s = 0;
                for (int j = 0; j < k; j++) {
                    if (c.logInput()) {
                        double e = Math.exp(p[j]);
                        s += e - y[j] * p[j];
                        g[j] = (e - y[j]) / k;
                    } else {
                        s += p[j] - y[j] * Math.log(p[j] + c.epsilon());
                        g[j] = (1 - y[j] / (p[j] + c.epsilon())) / k;
                    }
                    if (c.full() && y[j] > 1) {
                        s += y[j] * Math.log(y[j]) - y[j] + 0.5 * Math.log(2 * Math.PI * y[j]);
                    }
                }
                return s / k;
            };
        }
    }
}
