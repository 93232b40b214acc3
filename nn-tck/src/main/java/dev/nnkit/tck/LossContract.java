package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Loss}. Extend it, return your provider, and say what a valid sample
 * looks like (probabilities, one-hot rows, class indices …):
 * <pre>
 * class FocalLossTest extends LossContract {
 *     protected LossProvider&lt;?&gt; provider() { return new FocalLossProvider(); }
 *     protected Sample sample(SplittableRandom r, int outputs) { … }
 * }
 * </pre>
 */
public abstract class LossContract {

    /** A prediction row and its target row. */
    public record Sample(double[] prediction, double[] target) {
    }

    /** The provider under test. */
    protected abstract LossProvider<?> provider();

    /** A valid prediction and target for a network with {@code outputs} outputs. */
    protected abstract Sample sample(SplittableRandom random, int outputs);

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

    @Test
    @DisplayName("its provider has a valid id and a default config")
    void providerIsWellFormed() {
        ProviderChecks.wellFormed(provider());
    }

    @Nested
    @DisplayName("sampleLoss")
    class SampleLoss {
        @RepeatedTest(5)
        @DisplayName("writes a gradient that matches central differences in float64")
        void gradientMatchesCentralDifferences(org.junit.jupiter.api.RepetitionInfo info) {
            Loss loss = loss();
            Sample s = sample(new SplittableRandom(info.getCurrentRepetition()), outputs());
            double[] grad = new double[s.prediction().length];
            loss.sampleLoss(s.prediction(), s.target(), grad);
            double[] scratch = new double[grad.length];
            GradientCheck.check("prediction", GradientCheck.of(s.prediction()),
                    () -> loss.sampleLoss(s.prediction(), s.target(), scratch), i -> grad[i]);
        }

        @Test
        @DisplayName("is finite on valid samples and does not change its inputs")
        void finiteAndPure() {
            Loss loss = loss();
            Sample s = sample(new SplittableRandom(99), outputs());
            double[] p = s.prediction().clone();
            double[] t = s.target().clone();
            double[] grad = new double[p.length];
            double value = loss.sampleLoss(s.prediction(), s.target(), grad);
            assertThat(value).as("loss").isFinite();
            assertThat(s.prediction()).as("prediction after the call").containsExactly(p);
            assertThat(s.target()).as("target after the call").containsExactly(t);
            assertThat(loss.sampleLoss(s.prediction(), s.target(), grad)).as("a second call").isEqualTo(value);
        }

        @Test
        @DisplayName("takes targets of the width it declares")
        void targetWidthMatchesSample() {
            Sample s = sample(new SplittableRandom(3), outputs());
            assertThat(s.target()).hasSize(loss().targetWidth(outputs()));
        }
    }
}
