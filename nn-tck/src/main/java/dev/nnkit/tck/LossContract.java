package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Loss}: the plugin's own per-sample value and gradient (the engine's
 * reduction, sample weights and float32 storage are the engine's, tested there). Extend it, return
 * your provider, and say what a valid sample looks like (probabilities, one-hot rows, class indices …):
 * <pre>
 * class FocalLossTest extends LossContract {
 *     protected LossProvider&lt;?&gt; provider() { return new FocalLossProvider(); }
 *     protected Sample sample(SplittableRandom r, int outputs) { … }
 *     protected List&lt;Sample&gt; edgeSamples() { … p = 0 and p = 1 … }
 * }
 * </pre>
 * A piecewise loss names its pieces in {@link #branches()}, so the kit can tell that the gradient
 * check reached each. Stated handling of non-finite input: a NaN prediction gives a NaN loss (never
 * a finite number that hides it), so training stops with a divergence error.
 */
public abstract class LossContract extends PluginContract<LossProvider<?>> {
    /** How many samples the gradient check draws (seeds 1 to this). */
    public static final int GRADIENT_SAMPLES = 20;

    /** A prediction row and its target row. */
    public record Sample(double[] prediction, double[] target) {
        @Override
        public String toString() {
            return "prediction " + Arrays.toString(prediction) + ", target " + Arrays.toString(target);
        }
    }

    /** The provider under test. */
    @Override
    protected abstract LossProvider<?> provider();

    /** A valid prediction and target for a network with {@code outputs} outputs, away from kinks. */
    protected abstract Sample sample(SplittableRandom random, int outputs);

    /**
     * Valid samples at the edge of the domain, where a formula can overflow or divide by zero
     * (probabilities of exactly 0 and 1, a prediction equal to its target): the loss and every
     * gradient element must be finite there. Only finiteness is checked, not central differences,
     * which would step outside the domain. None by default, and then that check is skipped.
     */
    protected List<Sample> edgeSamples() {
        return List.of();
    }

    /**
     * The pieces of a piecewise loss (Huber's quadratic and linear parts, a hinge's flat and sloped
     * parts), each named with a test of whether a sample reaches it: the {@link #GRADIENT_SAMPLES}
     * samples of the gradient check must reach every one, or a wrong gradient there goes unseen.
     */
    protected Map<String, Predicate<Sample>> branches() {
        return Map.of();
    }

    /** Outputs per sample used by the checks; override for losses of a fixed width. */
    protected int outputs() {
        return 4;
    }

    /** The loss under test: the provider's, with default settings. */
    protected Loss loss() {
        return createDefault(provider());
    }

    private static <C extends Record> Loss createDefault(LossProvider<C> p) {
        return p.create(p.defaultConfig());
    }

    private Sample gradientSample(int seed) {
        return sample(new SplittableRandom(seed), outputs());
    }

    @Test
    @DisplayName("sampleLoss writes a gradient that matches central differences in float64, on " + GRADIENT_SAMPLES + " samples")
    protected void gradientMatchesCentralDifferences() {
        Loss loss = loss();
        for (int seed = 1; seed <= GRADIENT_SAMPLES; seed++) {
            Sample s = gradientSample(seed);
            double[] grad = new double[s.prediction().length];
            loss.sampleLoss(s.prediction(), s.target(), grad);
            double[] scratch = new double[grad.length];
            String what = "prediction (sample " + seed + ": " + s + ")";
            GradientCheck.check(what, GradientCheck.of(s.prediction()),
                    () -> loss.sampleLoss(s.prediction(), s.target(), scratch), i -> grad[i]);
        }
    }

    @Test
    @DisplayName("samples every branch it declares in the gradient check")
    protected void samplesEveryBranch() {
        Map<String, Predicate<Sample>> branches = branches();
        assumeFalse(branches.isEmpty(), "No branches(): a piecewise loss should name its pieces");
        for (Map.Entry<String, Predicate<Sample>> b : branches.entrySet()) {
            boolean reached = false;
            for (int seed = 1; seed <= GRADIENT_SAMPLES && !reached; seed++) {
                reached = b.getValue().test(gradientSample(seed));
            }
            if (!reached) {
                throw new AssertionError("None of the " + GRADIENT_SAMPLES + " samples of the gradient check reaches"
                        + " branch '" + b.getKey() + "', so its gradient is never checked: widen sample() to reach it.");
            }
        }
    }

    @Test
    @DisplayName("is finite on valid samples, repeatable, and does not change its inputs (edge samples included)")
    protected void finiteAndPure() {
        Loss loss = loss();
        Sample s = sample(new SplittableRandom(99), outputs());
        double[] p = s.prediction().clone();
        double[] t = s.target().clone();
        double[] grad = new double[p.length];
        double value = loss.sampleLoss(s.prediction(), s.target(), grad);
        assertThat(value).as("loss of %s", s).isFinite();
        assertThat(s.prediction()).as("prediction after the call: it is read-only").containsExactly(p);
        assertThat(s.target()).as("target after the call: it is read-only").containsExactly(t);
        assertThat(loss.sampleLoss(s.prediction(), s.target(), grad)).as("a second call").isEqualTo(value);
        for (Sample edge : edgeSamples()) { // where a clamp in place would show
            double[] ep = edge.prediction().clone();
            double[] et = edge.target().clone();
            loss.sampleLoss(ep, et, new double[ep.length]);
            assertThat(ep).as("prediction of the edge sample %s after the call: it is read-only (clamp a copy)", edge)
                    .containsExactly(edge.prediction());
            assertThat(et).as("target of the edge sample %s after the call: it is read-only", edge)
                    .containsExactly(edge.target());
        }
    }

    @Test
    @DisplayName("is finite, with a finite gradient, on the edge samples")
    protected void finiteOnEdges() {
        List<Sample> edges = edgeSamples();
        assumeFalse(edges.isEmpty(), "No edgeSamples(): give samples at the domain's edges (p = 0, p = 1 …)");
        Loss loss = loss();
        for (Sample s : edges) {
            double[] grad = new double[s.prediction().length];
            double value = loss.sampleLoss(s.prediction().clone(), s.target().clone(), grad);
            if (!Double.isFinite(value)) {
                throw new AssertionError("The loss of the edge sample " + s + " is " + value + ": clamp what goes into"
                        + " a log or a division (PyTorch clamps log(p) at −100 in binary_cross_entropy).");
            }
            for (int j = 0; j < grad.length; j++) {
                if (!Double.isFinite(grad[j])) {
                    throw new AssertionError("∂ℓ/∂ŷ[" + j + "] of the edge sample " + s + " is " + grad[j]
                            + " (the loss is " + value + "): clamp the denominator as the loss clamps its value.");
                }
            }
        }
    }

    @Test
    @DisplayName("takes targets of the width it declares")
    protected void targetWidthMatchesSample() {
        Sample s = sample(new SplittableRandom(3), outputs());
        assertThat(s.target()).as("target of sample() for %d outputs; targetWidth(%d) is %d", outputs(), outputs(),
                loss().targetWidth(outputs())).hasSize(loss().targetWidth(outputs()));
    }

    @Test
    @DisplayName("turns a NaN prediction into a NaN loss instead of hiding it")
    protected void nanPropagates() {
        Sample s = sample(new SplittableRandom(4), outputs());
        java.util.Arrays.fill(s.prediction(), Double.NaN); // every element: a loss may read only the target's
        assertThat(loss().sampleLoss(s.prediction(), s.target(), new double[outputs()]))
                .as("the loss of a prediction of NaNs (a clamp such as 'p < eps ? eps : p' turns NaN into eps)")
                .isNaN();
    }
}
