package dev.nnkit.tck;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.OptimizerProvider;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.optimizer.StepContext;
import dev.nnkit.api.plugin.BasicPluginProvider;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Plugin authors' tests of an AdamW optimizer, one correct and the others each broken in one way a
 * real author got wrong. {@link ContractsCatchBugsTest} runs each through the JUnit engine and
 * expects exactly the checks named there to fail. (Nested classes: Surefire does not run them.)
 */
final class OptimizerFixtures {
    private OptimizerFixtures() {
    }

    enum Bug { NONE, IGNORES_GIVEN_RATE, WRITES_GRADIENT, BIAS_CORRECTION_OFF_BY_ONE, DECAY_WRONG_SIGN, HIDDEN_STATE,
        CLIMBS, DECAY_INTO_GRADIENT, NOT_DETERMINISTIC, FLOAT32_EPSILON, SKIPS_NAN, RANGES_ROUND_DIFFERENTLY, UNUSED_SLOT, STALE_SPI, BAD_ID }

    /** Correct settings: every value checked, named in the message. */
    public record Settings(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        public Settings {
            if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be finite and ≥ 0; got " + learningRate + ".");
            }
            if (!(beta1 >= 0 && beta1 < 1)) {
                throw new IllegalArgumentException("beta1 must be in [0, 1); got " + beta1 + ".");
            }
            if (!(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("beta2 must be in [0, 1); got " + beta2 + ".");
            }
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new IllegalArgumentException("epsilon must be finite and > 0; got " + epsilon + ".");
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weightDecay must be finite and ≥ 0; got " + weightDecay + ".");
            }
        }
    }

    /** Refuses non-finite values only: a negative learning rate gets through. */
    public record LaxSettings(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        public LaxSettings {
            for (double v : new double[] {learningRate, beta1, beta2, epsilon, weightDecay}) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("settings must be finite: learningRate, beta1, beta2, epsilon,"
                            + " weightDecay; got " + v + ".");
                }
            }
        }
    }

    /** Refuses bad values without saying which. */
    public record MuteSettings(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        public MuteSettings {
            try {
                new Settings(learningRate, beta1, beta2, epsilon, weightDecay);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid value");
            }
        }
    }

    /** Converts a percentage in its constructor, so building it from its own values converts twice. */
    public record PercentSettings(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        public PercentSettings {
            new Settings(learningRate, beta1, beta2, epsilon, weightDecay);
            weightDecay = weightDecay / 100;
        }
    }

    private static final AtomicLong CREATED = new AtomicLong();

    static final class Provider<C extends Record> extends BasicPluginProvider<C, Optimizer> implements OptimizerProvider<C> {
        private final Bug bug;
        private final Function<C, double[]> values;

        Provider(Bug bug, Class<C> type, C defaults, Function<C, double[]> values) {
            super(bug == Bug.BAD_ID ? "AdamW_Fixture" : "adamw-fixture", "AdamW, as torch.optim.AdamW", type, defaults);
            this.bug = bug;
            this.values = values;
        }

        @Override
        public int spiVersion() {
            return bug == Bug.STALE_SPI ? SPI_VERSION - 1 : SPI_VERSION;
        }

        @Override
        public Optimizer create(C config) {
            return new AdamW(bug, values.apply(config));
        }
    }

    static Provider<Settings> adamW(Bug bug) {
        return new Provider<>(bug, Settings.class, new Settings(1e-3, 0.9, 0.999, 1e-8, 1e-2),
                s -> new double[] {s.learningRate(), s.beta1(), s.beta2(), s.epsilon(), s.weightDecay()});
    }

    /** torch.optim.AdamW: θ ← θ(1 − ηλ), then Adam's bias-corrected step. */
    static final class AdamW implements Optimizer {
        private final Bug bug;
        private final double lr;
        private final double beta1;
        private final double beta2;
        private final double eps;
        private final double weightDecay;
        private final double jitter;
        private double[] hiddenAverage;

        AdamW(Bug bug, double[] v) {
            this.bug = bug;
            lr = v[0];
            beta1 = v[1];
            beta2 = v[2];
            eps = v[3];
            weightDecay = v[4];
            jitter = bug == Bug.NOT_DETERMINISTIC ? 1e-13 * CREATED.incrementAndGet() : 0;
        }

        @Override
        public List<String> stateSlots() {
            return switch (bug) {
                case HIDDEN_STATE -> List.of("exp_avg_sq");
                case UNUSED_SLOT -> List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq");
                default -> List.of("exp_avg", "exp_avg_sq");
            };
        }

        @Override
        public double learningRate() {
            return lr;
        }

        @Override
        public boolean elementwise() {
            return true;
        }

        @Override
        public void update(Tensor value, Tensor gradient, ParameterState state, StepContext step) {
            update(value, gradient, state, step.step(), step.learningRate(), 0, value.size(), true);
        }

        @Override
        public void updateRange(Tensor value, Tensor gradient, ParameterState state, long step, double learningRate,
                                int from, int to) {
            update(value, gradient, state, step, learningRate, from, to, false);
        }

        private void update(Tensor value, Tensor gradient, ParameterState state, long step, double learningRate,
                            int from, int to, boolean whole) {
            double rate = (bug == Bug.IGNORES_GIVEN_RATE ? lr : learningRate) * (1 + jitter);
            long t = bug == Bug.BIAS_CORRECTION_OFF_BY_ONE ? step + 1 : step;
            double e = bug == Bug.FLOAT32_EPSILON && value.dtype() == DType.FLOAT32 ? 1e-2 : eps;
            // The whole-tensor path holds the betas as float, as a float32 kernel might; the range path does not.
            double beta1 = whole && bug == Bug.RANGES_ROUND_DIFFERENTLY ? (float) this.beta1 : this.beta1;
            double beta2 = whole && bug == Bug.RANGES_ROUND_DIFFERENTLY ? (float) this.beta2 : this.beta2;
            double correction1 = 1 - Math.pow(beta1, t);
            double correction2 = 1 - Math.pow(beta2, t);
            Tensor m = bug == Bug.HIDDEN_STATE ? null : state.slot("exp_avg");
            Tensor v = state.slot("exp_avg_sq");
            if (bug == Bug.HIDDEN_STATE && hiddenAverage == null) {
                hiddenAverage = new double[value.size()];
            }
            for (int i = from; i < to; i++) {
                double g = gradient.get(i);
                if (bug == Bug.SKIPS_NAN && Double.isNaN(g)) {
                    continue;
                }
                if (bug == Bug.WRITES_GRADIENT) {
                    gradient.set(i, g * g); // the gradient buffer reused as scratch for g²
                }
                if (bug == Bug.DECAY_INTO_GRADIENT && weightDecay != 0) {
                    gradient.set(i, g + weightDecay * value.get(i)); // an L2 term added in place, then not used
                }
                double theta = value.get(i) * (bug == Bug.DECAY_WRONG_SIGN ? 1 + rate * weightDecay : 1 - rate * weightDecay);
                double mi = beta1 * (m == null ? hiddenAverage[i] : m.get(i)) + (1 - beta1) * g;
                double vi = beta2 * v.get(i) + (1 - beta2) * g * g;
                if (m == null) {
                    hiddenAverage[i] = mi;
                } else {
                    m.set(i, mi);
                }
                v.set(i, vi);
                double move = rate * (mi / correction1) / (Math.sqrt(vi / correction2) + e);
                value.set(i, bug == Bug.CLIMBS ? theta + move : theta - move);
            }
        }
    }

    /** The author's test: the contract, the provider, its references from torch.optim.AdamW. */
    abstract static class Fixture extends OptimizerContract {
        @Override
        protected List<Reference> references() {
            // src/test/python/tck_references.py: torch.optim.AdamW(weight_decay=0.1), 5 steps at 0.05, 5 at 0.02.
            return List.of(new Reference(Map.of("learningRate", 0.05, "weightDecay", 0.1),
                    new double[] {0.05, 0.05, 0.05, 0.05, 0.05, 0.02, 0.02, 0.02, 0.02, 0.02}, TORCH_ADAMW));
        }
    }

    static final double[] TORCH_ADAMW = {0.6302153062397055, 0.6236008168516073, -0.622987180451039,
        0.15338483556917035, 0.33732492693384564, -0.047417429694290913};

    static class Correct extends Fixture {
        @Override
        protected OptimizerProvider<?> provider() {
            return adamW(Bug.NONE);
        }
    }

    static class Broken extends Fixture {
        private final Bug bug;

        Broken(Bug bug) {
            this.bug = bug;
        }

        @Override
        protected OptimizerProvider<?> provider() {
            return adamW(bug);
        }
    }

    static class IgnoresGivenRate extends Broken {
        IgnoresGivenRate() {
            super(Bug.IGNORES_GIVEN_RATE);
        }
    }

    /**
     * An author who decided that the learning-rate checks do not apply (as a Lookahead wrapper's
     * sync steps move θ at rate 0) switches them off by overriding them without @Test.
     */
    static class IgnoresGivenRateOptedOut extends IgnoresGivenRate {
        @Override
        protected void zeroRateLeavesTheta() {
            // does not apply: this optimizer's rate is fixed by its settings, on purpose
        }

        @Override
        protected void usesTheGivenRate() {
            // as above
        }

        @Override
        protected List<Reference> references() {
            return List.of();
        }
    }

    static class WritesGradient extends Broken {
        WritesGradient() {
            super(Bug.WRITES_GRADIENT);
        }
    }

    static class BiasCorrectionOffByOne extends Broken {
        BiasCorrectionOffByOne() {
            super(Bug.BIAS_CORRECTION_OFF_BY_ONE);
        }
    }

    /** Off by default (weight decay 0), so only a check with other settings sees it. */
    static class DecayIntoGradientWhenSet extends Fixture {
        @Override
        protected OptimizerProvider<?> provider() {
            return new Provider<>(Bug.DECAY_INTO_GRADIENT, Settings.class, new Settings(1e-3, 0.9, 0.999, 1e-8, 0),
                    s -> new double[] {s.learningRate(), s.beta1(), s.beta2(), s.epsilon(), s.weightDecay()});
        }
    }

    static class DecayWrongSign extends Broken {
        DecayWrongSign() {
            super(Bug.DECAY_WRONG_SIGN);
        }
    }

    static class HiddenState extends Broken {
        HiddenState() {
            super(Bug.HIDDEN_STATE);
        }
    }

    static class Climbs extends Broken {
        Climbs() {
            super(Bug.CLIMBS);
        }
    }

    static class NotDeterministic extends Broken {
        NotDeterministic() {
            super(Bug.NOT_DETERMINISTIC);
        }
    }

    static class Float32Epsilon extends Broken {
        Float32Epsilon() {
            super(Bug.FLOAT32_EPSILON);
        }
    }

    static class SkipsNan extends Broken {
        SkipsNan() {
            super(Bug.SKIPS_NAN);
        }
    }

    static class RangesRoundDifferently extends Broken {
        RangesRoundDifferently() {
            super(Bug.RANGES_ROUND_DIFFERENTLY);
        }
    }

    static class UnusedSlot extends Broken {
        UnusedSlot() {
            super(Bug.UNUSED_SLOT);
        }
    }

    static class StaleSpi extends Broken {
        StaleSpi() {
            super(Bug.STALE_SPI);
        }
    }

    static class BadId extends Broken {
        BadId() {
            super(Bug.BAD_ID);
        }
    }

    static class AcceptsNegativeRate extends Fixture {
        @Override
        protected OptimizerProvider<?> provider() {
            return new Provider<>(Bug.NONE, LaxSettings.class, new LaxSettings(1e-3, 0.9, 0.999, 1e-8, 1e-2),
                    s -> new double[] {s.learningRate(), s.beta1(), s.beta2(), s.epsilon(), s.weightDecay()});
        }
    }

    static class RefusesWithoutNaming extends Fixture {
        @Override
        protected OptimizerProvider<?> provider() {
            return new Provider<>(Bug.NONE, MuteSettings.class, new MuteSettings(1e-3, 0.9, 0.999, 1e-8, 1e-2),
                    s -> new double[] {s.learningRate(), s.beta1(), s.beta2(), s.epsilon(), s.weightDecay()});
        }
    }

    static class ConvertsTwice extends Fixture {
        @Override
        protected OptimizerProvider<?> provider() {
            return new Provider<>(Bug.NONE, PercentSettings.class, new PercentSettings(1e-3, 0.9, 0.999, 1e-8, 1),
                    s -> new double[] {s.learningRate(), s.beta1(), s.beta2(), s.epsilon(), s.weightDecay()});
        }
    }
}
