package dev.nnkit.tck;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Plugin authors' tests of a binary cross-entropy and a Huber loss, one correct of each and the
 * others each broken in one way. {@link ContractsCatchBugsTest} runs each through the JUnit engine
 * and expects exactly the checks named there to fail. (Nested classes: Surefire does not run them.)
 */
final class LossFixtures {
    private LossFixtures() {
    }

    enum Bug { NONE, HALF_GRADIENT, UNCLAMPED, CLAMP_HIDES_NAN, CLAMPS_IN_PLACE, WRONG_TARGET_WIDTH }

    static final class BceProvider extends SettinglessProvider<Loss> implements LossProvider<NoConfig> {
        private final Bug bug;

        BceProvider(Bug bug) {
            super("bce-fixture", "binary cross-entropy, as torch.nn.functional.binary_cross_entropy");
            this.bug = bug;
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public Loss create(NoConfig config) {
            return new Loss() {
                @Override
                public double sampleLoss(double[] p, double[] y, double[] g) {
                    double s = 0;
                    for (int j = 0; j < p.length; j++) {
                        double pj = p[j];
                        if (bug == Bug.CLAMP_HIDES_NAN) {
                            pj = pj > 1e-7 ? Math.min(pj, 1 - 1e-7) : 1e-7; // NaN > x is false: NaN becomes 1e-7
                        } else if (bug == Bug.CLAMPS_IN_PLACE) {
                            p[j] = Math.min(Math.max(pj, 1e-7), 1 - 1e-7);
                            pj = p[j];
                        }
                        if (bug == Bug.UNCLAMPED) {
                            s -= y[j] * Math.log(pj) + (1 - y[j]) * Math.log(1 - pj);
                            g[j] = (pj - y[j]) / ((1 - pj) * pj);
                        } else {
                            // PyTorch: each log clamped at −100, the denominator at 1e-12.
                            s -= y[j] * Math.max(Math.log(pj), -100) + (1 - y[j]) * Math.max(Math.log(1 - pj), -100);
                            g[j] = (pj - y[j]) / Math.max((1 - pj) * pj, 1e-12);
                        }
                        if (bug == Bug.HALF_GRADIENT) {
                            g[j] /= 2;
                        }
                    }
                    return s;
                }

                @Override
                public int targetWidth(int outputs) {
                    return bug == Bug.WRONG_TARGET_WIDTH ? 1 : outputs;
                }
            };
        }
    }

    abstract static class Bce extends LossContract {
        private final Bug bug;

        Bce(Bug bug) {
            this.bug = bug;
        }

        @Override
        protected LossProvider<?> provider() {
            return new BceProvider(bug);
        }

        @Override
        protected Sample sample(SplittableRandom r, int k) {
            return new Sample(r.doubles(k, 0.05, 0.95).toArray(), r.ints(k, 0, 2).asDoubleStream().toArray());
        }

        @Override
        protected List<Sample> edgeSamples() {
            return List.of(new Sample(new double[] {0, 1, 0, 1}, new double[] {0, 1, 1, 0}));
        }
    }

    static class BceCorrect extends Bce {
        BceCorrect() {
            super(Bug.NONE);
        }
    }

    static class BceHalfGradient extends Bce {
        BceHalfGradient() {
            super(Bug.HALF_GRADIENT);
        }
    }

    static class BceUnclamped extends Bce {
        BceUnclamped() {
            super(Bug.UNCLAMPED);
        }
    }

    static class BceClampHidesNan extends Bce {
        BceClampHidesNan() {
            super(Bug.CLAMP_HIDES_NAN);
        }
    }

    static class BceClampsInPlace extends Bce {
        BceClampsInPlace() {
            super(Bug.CLAMPS_IN_PLACE);
        }
    }

    static class BceWrongTargetWidth extends Bce {
        BceWrongTargetWidth() {
            super(Bug.WRONG_TARGET_WIDTH);
        }
    }

    /** Huber with δ = 1; {@code wrongLinear} writes the quadratic part's gradient in the linear part too. */
    static final class HuberProvider extends SettinglessProvider<Loss> implements LossProvider<NoConfig> {
        private final boolean wrongLinear;

        HuberProvider(boolean wrongLinear) {
            super("huber-fixture", "Huber with δ = 1");
            this.wrongLinear = wrongLinear;
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public Loss create(NoConfig config) {
            return (p, y, g) -> {
                double s = 0;
                for (int j = 0; j < p.length; j++) {
                    double d = p[j] - y[j];
                    boolean quadratic = Math.abs(d) < 1;
                    s += quadratic ? 0.5 * d * d : Math.abs(d) - 0.5;
                    g[j] = quadratic || wrongLinear ? d : Math.signum(d);
                }
                return s;
            };
        }
    }

    abstract static class Huber extends LossContract {
        private final boolean broken;

        Huber(boolean broken) {
            this.broken = broken;
        }

        @Override
        protected LossProvider<?> provider() {
            return new HuberProvider(broken);
        }

        @Override
        protected Sample sample(SplittableRandom r, int k) {
            double range = broken ? 0.4 : 2; // the broken author's samples never leave the quadratic part
            return new Sample(r.doubles(k, -range, range).toArray(), r.doubles(k, -range, range).toArray());
        }

        @Override
        protected Map<String, Predicate<Sample>> branches() {
            return Map.of("quadratic, |ŷ − y| < 1", s -> anyDistance(s, d -> d < 1),
                    "linear, |ŷ − y| > 1", s -> anyDistance(s, d -> d > 1));
        }

        private static boolean anyDistance(Sample s, java.util.function.DoublePredicate test) {
            for (int j = 0; j < s.prediction().length; j++) {
                if (test.test(Math.abs(s.prediction()[j] - s.target()[j]))) {
                    return true;
                }
            }
            return false;
        }
    }

    static class HuberCorrect extends Huber {
        HuberCorrect() {
            super(false);
        }
    }

    static class HuberNeverLinear extends Huber {
        HuberNeverLinear() {
            super(true);
        }
    }
}
