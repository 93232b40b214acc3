package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.OptimizerProvider;
import dev.nnkit.api.optimizer.StepContext;
import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.tensor.DType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link Optimizer}, run on the quadratic f(θ) = ½ Σ aᵢ(θᵢ − cᵢ)², so ∇f = a ⊙ (θ − c),
 * for one parameter of shape [2, 3] (row-major) with
 * a = [1.0, 0.5, 2.0, 0.1, 1.5, 0.8], c = [0.3, −0.7, 1.1, 0.0, −0.2, 0.5] and θ₀ = [1.0, 1.0, −1.0, 0.5, 0.7, −0.4].
 * Extend it and return your provider:
 * <pre>
 * class LionOptimizerTest extends OptimizerContract {
 *     protected OptimizerProvider&lt;?&gt; provider() { return new LionProvider(); }
 *     protected List&lt;Reference&gt; references() { … θ after 10 steps, from PyTorch … }
 * }
 * </pre>
 * The checks cannot see a sign slip in a weight decay or a bias correction one step off: the
 * optimizer still lowers the loss. {@link #references()} catches those; docs/plugins.md shows how to
 * compute one with PyTorch. Stated handling of non-finite input: a NaN gradient element makes that
 * parameter NaN (never silently skipped), so training stops with a divergence error.
 */
public abstract class OptimizerContract extends PluginContract<OptimizerProvider<?>> {

    /**
     * θ (row-major, 6 values) after {@code learningRates.length} steps on the contract's quadratic
     * from θ₀, in float64, with {@code settings} (over the defaults), step t using
     * {@code learningRates[t − 1]}: computed by an independent implementation such as PyTorch's.
     */
    public record Reference(Map<String, Object> settings, double[] learningRates, double[] theta) {
        public Reference {
            settings = Map.copyOf(settings);
            learningRates = learningRates.clone();
            theta = theta.clone();
            if (theta.length != QuadraticProblem.THETA0.length) {
                throw new IllegalArgumentException("theta has " + theta.length + " values; the quadratic has "
                        + QuadraticProblem.THETA0.length + ".");
            }
        }

        /** {@code steps} steps at one learning rate. */
        public static Reference of(Map<String, Object> settings, int steps, double learningRate, double... theta) {
            double[] rates = new double[steps];
            Arrays.fill(rates, learningRate);
            return new Reference(settings, rates, theta);
        }
    }

    /** The provider under test. */
    @Override
    protected abstract OptimizerProvider<?> provider();

    /** The optimizer under test, new each call: the provider's, with default settings. */
    protected Optimizer optimizer() {
        return createDefault(provider());
    }

    /**
     * Trajectories from an independent implementation that this optimizer must reproduce to 1e-9
     * (relative, or absolute below 1): use settings other than the defaults, such as a weight decay,
     * and rates that change from step to step. None by default, and then that check is skipped.
     */
    protected List<Reference> references() {
        return List.of();
    }

    private static <C extends Record> Optimizer createDefault(OptimizerProvider<C> p) {
        return p.create(p.defaultConfig());
    }

    private static <C extends Record> Optimizer create(OptimizerProvider<C> p, Map<String, Object> settings) {
        return p.create(ConfigBinder.bind(p, settings));
    }

    private static double[] run(Optimizer o, DType dtype, int steps) {
        QuadraticProblem p = new QuadraticProblem(o, dtype);
        for (int t = 1; t <= steps; t++) {
            p.step(o, t);
        }
        return p.theta.toDoubleArray();
    }

    @Test
    @DisplayName("lowers the loss of the quadratic over 100 steps with its default settings")
    protected void lowersTheLoss() {
        Optimizer o = optimizer();
        QuadraticProblem p = new QuadraticProblem(o, DType.FLOAT64);
        double before = p.loss();
        for (int t = 1; t <= 100; t++) {
            p.step(o, t);
        }
        assertThat(p.loss()).as("loss after 100 steps (it was %s)", before).isLessThan(before);
    }

    @Test
    @DisplayName("gives bit-identical trajectories on repeated runs")
    protected void deterministic() {
        assertThat(run(optimizer(), DType.FLOAT64, 30)).as("θ after 30 steps, run twice")
                .containsExactly(run(optimizer(), DType.FLOAT64, 30));
    }

    @Test
    @DisplayName("agrees between float32 and float64 to float32 precision over 20 steps")
    protected void float32MatchesFloat64() {
        double[] a = run(optimizer(), DType.FLOAT64, 20);
        double[] b = run(optimizer(), DType.FLOAT32, 20);
        for (int i = 0; i < a.length; i++) {
            assertThat(Math.abs(b[i] - a[i])).as("θ[%d] float32 %s vs float64 %s", i, b[i], a[i])
                    .isLessThanOrEqualTo(1e-4 * Math.max(1, Math.abs(a[i])));
        }
    }

    @Test
    @DisplayName("makes a parameter NaN when its gradient is NaN")
    protected void nanPropagates() {
        Optimizer o = optimizer();
        QuadraticProblem p = new QuadraticProblem(o, DType.FLOAT64);
        p.grad.fill(1);
        p.grad.set(0, Double.NaN);
        o.update(p.theta, p.grad, p::slot, new StepContext(1, o.learningRate()));
        assertThat(p.theta.get(0)).as("θ[0] after a step with a NaN gradient").isNaN();
    }

    @Test
    @DisplayName("reproduces the author's reference trajectories")
    protected void matchesReferences() {
        List<Reference> references = references();
        assumeFalse(references.isEmpty(), "No references(): give θ after a few steps from an independent"
                + " implementation (see docs/plugins.md) to catch sign slips and off-by-one bias corrections.");
        for (Reference r : references) {
            Optimizer o = create(provider(), r.settings());
            QuadraticProblem p = new QuadraticProblem(o, DType.FLOAT64);
            for (int t = 1; t <= r.learningRates().length; t++) {
                p.step(o, t, r.learningRates()[t - 1]);
            }
            for (int i = 0; i < r.theta().length; i++) {
                double got = p.theta.get(i);
                double want = r.theta()[i];
                if (!(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)))) {
                    throw new AssertionError("With settings " + r.settings() + ", after " + r.learningRates().length
                            + " steps at rates " + Arrays.toString(r.learningRates()) + ", θ[" + i + "] is " + got
                            + " but the reference gives " + want + ". θ: " + Arrays.toString(p.theta.toDoubleArray())
                            + ", reference: " + Arrays.toString(r.theta()) + ".");
                }
            }
        }
    }

    @Test
    @DisplayName("a step at rate 0 leaves θ where it is (warm-up schedules start there)")
    protected void zeroRateLeavesTheta() {
        Optimizer o = optimizer();
        QuadraticProblem p = new QuadraticProblem(o, DType.FLOAT64);
        for (int t = 1; t <= 3; t++) {
            p.step(o, t);
        }
        double[] before = p.theta.toDoubleArray();
        p.step(o, 4, 0.0);
        assertThat(p.theta.toDoubleArray()).as("θ after step 4 at learning rate 0 (before: %s); update() must"
                + " scale its move by step.learningRate(), the schedule's rate", Arrays.toString(before))
                .containsExactly(before);
        if (o.elementwise()) {
            p.stepInRanges(o, 5, 0.0, new int[][] {{0, 6}});
            assertThat(p.theta.toDoubleArray()).as("θ after updateRange(…, learningRate 0, 0, 6)").containsExactly(before);
        }
    }

    @Test
    @DisplayName("moves θ by the rate it is given, not its configured one")
    protected void usesTheGivenRate() {
        Optimizer o = optimizer();
        double lr = o.learningRate();
        double[][] at = new double[3][];
        double[] rates = {lr, lr / 2, lr / 4};
        for (int k = 0; k < rates.length; k++) {
            QuadraticProblem p = new QuadraticProblem(o, DType.FLOAT64);
            for (int t = 1; t <= 3; t++) {
                p.step(o, t, rates[k]);
            }
            at[k] = p.theta.toDoubleArray();
        }
        for (int k = 1; k < rates.length; k++) {
            assertThat(at[k]).as("θ after 3 steps at learning rate %s equals θ after 3 at %s (the configured rate):"
                    + " update() must use step.learningRate(), which a schedule sets, not its configured rate",
                    rates[k], lr).isNotEqualTo(at[0]);
        }
        assertThat(at[1]).as("θ after 3 steps at %s and at %s", rates[1], rates[2]).isNotEqualTo(at[2]);
    }

    @Test
    @DisplayName("leaves the gradient as it found it (the engine reads it again), with default and other settings")
    protected void gradientUnchanged() {
        for (Map.Entry<String, Optimizer> e : variants().entrySet()) {
            Optimizer o = e.getValue();
            QuadraticProblem p = new QuadraticProblem(o, DType.FLOAT64);
            for (int t = 1; t <= 3; t++) {
                p.setGradient();
                double[] g = p.grad.toDoubleArray();
                o.update(p.theta, p.grad, p::slot, new StepContext(t, o.learningRate()));
                assertThat(p.grad.toDoubleArray()).as("the gradient after update() at step %d with %s: it is read-only;"
                        + " add a weight decay to a local value, not into the gradient", t, e.getKey()).containsExactly(g);
            }
            if (o.elementwise()) {
                p.setGradient();
                double[] g = p.grad.toDoubleArray();
                o.updateRange(p.theta, p.grad, p::slot, 4, o.learningRate(), 0, 6);
                assertThat(p.grad.toDoubleArray()).as("the gradient after updateRange() with %s", e.getKey())
                        .containsExactly(g);
            }
        }
    }

    /**
     * The optimizer with its defaults, with each reference's settings, and with the well-known
     * settings that are off by default turned on (a weight decay of 0.01, momentum 0.5, AMSGrad,
     * centering), each kept where the settings record accepts it: code paths the defaults skip.
     */
    private Map<String, Optimizer> variants() {
        Map<String, Optimizer> out = new LinkedHashMap<>();
        out.put("the default settings", optimizer());
        for (Reference r : references()) {
            out.put("settings " + r.settings(), create(provider(), r.settings()));
        }
        Map<String, Object> defaults = ConfigBinder.toMap(provider().defaultConfig());
        Map<String, Object> on = new LinkedHashMap<>();
        for (Map.Entry<String, Object> turn : Map.<String, Object>of("weightDecay", 0.01, "momentum", 0.5,
                "amsgrad", true, "centered", true).entrySet()) {
            Object now = defaults.get(turn.getKey());
            if (now != null && (now.equals(0.0) || now.equals(false))) {
                try {
                    create(provider(), Map.of(turn.getKey(), turn.getValue()));
                    on.put(turn.getKey(), turn.getValue());
                } catch (IllegalArgumentException refused) {
                    // this optimizer needs more than that setting alone; the defaults cover it
                }
            }
        }
        if (!on.isEmpty()) {
            try {
                out.put("settings " + on, create(provider(), on));
            } catch (IllegalArgumentException refusedTogether) {
                on.forEach((k, v) -> out.put("settings {" + k + "=" + v + "}", create(provider(), Map.of(k, v))));
            }
        }
        return out;
    }

    @Test
    @DisplayName("when elementwise() is true, updating ranges in any order gives the bits of a whole update")
    protected void rangesMatchWholeUpdates() {
        Optimizer o = optimizer();
        assumeTrue(o.elementwise(), "elementwise() is false: the engine always updates whole tensors");
        for (DType dtype : DType.values()) {
            QuadraticProblem whole = new QuadraticProblem(o, dtype);
            QuadraticProblem ranges = new QuadraticProblem(optimizer(), dtype);
            for (int t = 1; t <= 12; t++) {
                whole.step(o, t);
                ranges.stepInRanges(o, t, o.learningRate(), new int[][] {{5, 6}, {0, 2}, {2, 5}});
                assertThat(ranges.theta.toDoubleArray()).as("%s θ after step %d in ranges [5,6), [0,2), [2,5)", dtype, t)
                        .containsExactly(whole.theta.toDoubleArray());
                for (String slot : whole.slots.keySet()) {
                    assertThat(ranges.slots.get(slot).toDoubleArray()).as("%s slot '%s' after step %d in ranges [5,6), [0,2), [2,5)", dtype, slot, t)
                            .containsExactly(whole.slots.get(slot).toDoubleArray());
                }
            }
        }
    }

    @Test
    @DisplayName("saved after 5 steps and restored into a new optimizer replays the next 10 steps exactly")
    protected void saveRestoreReplays() {
        Optimizer first = optimizer();
        QuadraticProblem p = new QuadraticProblem(first, DType.FLOAT64);
        for (int t = 1; t <= 5; t++) {
            p.step(first, t);
        }
        double[][] saved = p.snapshot();
        double[][] uninterrupted = new double[10][];
        for (int t = 6; t <= 15; t++) {
            p.step(first, t);
            uninterrupted[t - 6] = p.theta.toDoubleArray();
        }

        Optimizer second = optimizer();
        QuadraticProblem q = new QuadraticProblem(second, DType.FLOAT64);
        q.restore(saved);
        for (int t = 6; t <= 15; t++) {
            q.step(second, t);
            double[] now = q.theta.toDoubleArray();
            for (int i = 0; i < now.length; i++) {
                if (Double.doubleToLongBits(now[i]) != Double.doubleToLongBits(uninterrupted[t - 6][i])) {
                    throw new AssertionError("After restoring the state saved at step 5 into a new optimizer, step "
                            + t + " gives θ[" + i + "] = " + now[i] + " but the uninterrupted run gave "
                            + uninterrupted[t - 6][i] + ". Everything update() remembers must live in the declared "
                            + "state slots " + p.slots.keySet() + ", not in fields of the optimizer.");
                }
            }
        }
    }

    @Test
    @DisplayName("lives only in the declared slots, all of them used within 20 steps")
    protected void slotsAreUsed() {
        Optimizer o = optimizer();
        QuadraticProblem p = new QuadraticProblem(o, DType.FLOAT64);
        for (int t = 1; t <= 20; t++) { // a slot filled every k steps (Lookahead's slow weights) is filled by then
            p.step(o, t);
        }
        p.slots.forEach((name, t) -> assertThat(t.toDoubleArray()).as("slot '%s' after 20 steps: a declared slot"
                + " that stays zero is saved in every checkpoint for nothing", name).isNotEqualTo(new double[t.size()]));
    }
}
