package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
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
 * Stated handling of non-finite input: a NaN prediction gives a NaN loss (never a finite number
 * that hides it), so training stops with a divergence error.
 */
public abstract class LossContract extends PluginContract<LossProvider<?>> {

    /** A prediction row and its target row. */
    public record Sample(double[] prediction, double[] target) {
    }

    /** The provider under test. */
    @Override
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

    /** A batch of {@code n} samples as prediction and target tensors. */
    private Tensor[] batch(int n, DType dtype, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = outputs();
        int t = loss().targetWidth(k);
        Tensor p = Tensor.zeros(dtype, Shape.of(n, k));
        Tensor y = Tensor.zeros(dtype, Shape.of(n, t));
        for (int i = 0; i < n; i++) {
            Sample s = sample(r, k);
            for (int j = 0; j < k; j++) {
                p.set(i * k + j, s.prediction()[j]);
            }
            for (int j = 0; j < t; j++) {
                y.set(i * t + j, s.target()[j]);
            }
        }
        return new Tensor[] {p, y};
    }


    @Nested
    @DisplayName("sampleLoss")
    class SampleLoss {
        @RepeatedTest(5)
        @DisplayName("writes a gradient that matches central differences in float64")
        void gradientMatchesCentralDifferences(RepetitionInfo info) {
            Loss loss = loss();
            Sample s = sample(new SplittableRandom(info.getCurrentRepetition()), outputs());
            double[] grad = new double[s.prediction().length];
            loss.sampleLoss(s.prediction(), s.target(), grad);
            double[] scratch = new double[grad.length];
            GradientCheck.check("prediction", GradientCheck.of(s.prediction()),
                    () -> loss.sampleLoss(s.prediction(), s.target(), scratch), i -> grad[i]);
        }

        @Test
        @DisplayName("is finite on valid samples, repeatable, and does not change its inputs")
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

        @Test
        @DisplayName("turns a NaN prediction into a NaN loss instead of hiding it")
        void nanPropagates() {
            Sample s = sample(new SplittableRandom(4), outputs());
            s.prediction()[0] = Double.NaN;
            assertThat(loss().sampleLoss(s.prediction(), s.target(), new double[outputs()])).isNaN();
        }
    }

    @Nested
    @DisplayName("reduced over a batch")
    class Reductions {
        @Test
        @DisplayName("mean is sum / n, and none's per-sample losses add up to sum")
        void reductionsAgree() {
            Tensor[] b = batch(6, DType.FLOAT64, 5);
            Tensor g = Tensor.zeros(DType.FLOAT64, b[0].shape());
            double[] perSample = new double[6];
            double mean = new LossFunction(loss(), Reduction.MEAN).evaluate(b[0], b[1], g, new double[0]);
            double sum = new LossFunction(loss(), Reduction.SUM).evaluate(b[0], b[1], g, new double[0]);
            new LossFunction(loss(), Reduction.NONE).evaluate(b[0], b[1], g, perSample);
            assertThat(mean).isCloseTo(sum / 6, offset(1e-12 * Math.max(1, Math.abs(sum))));
            assertThat(java.util.Arrays.stream(perSample).sum()).isCloseTo(sum, offset(1e-12 * Math.max(1, Math.abs(sum))));
        }

        @Test
        @DisplayName("a sample weight of 2 counts like the sample twice")
        void weights() {
            Tensor[] b = batch(3, DType.FLOAT64, 6);
            Tensor g = Tensor.zeros(DType.FLOAT64, b[0].shape());
            double weighted = new LossFunction(loss(), Reduction.SUM).evaluate(b[0], b[1], new double[] {2, 1, 1}, g,
                    new double[0]);
            double[] each = new double[3];
            new LossFunction(loss(), Reduction.NONE).evaluate(b[0], b[1], g, each);
            assertThat(weighted).isCloseTo(2 * each[0] + each[1] + each[2], offset(1e-12 * Math.max(1, Math.abs(weighted))));
        }

        @Test
        @DisplayName("float32 and float64 batches agree to float32 precision")
        void float32MatchesFloat64() {
            Tensor[] b64 = batch(4, DType.FLOAT64, 7);
            Tensor[] b32 = {b64[0].to(DType.FLOAT32), b64[1].to(DType.FLOAT32)};
            double l64 = new LossFunction(loss(), Reduction.MEAN).evaluate(b64[0], b64[1],
                    Tensor.zeros(DType.FLOAT64, b64[0].shape()), new double[0]);
            double l32 = new LossFunction(loss(), Reduction.MEAN).evaluate(b32[0], b32[1],
                    Tensor.zeros(DType.FLOAT32, b32[0].shape()), new double[0]);
            assertThat(l32).isCloseTo(l64, offset(1e-5 * Math.max(1, Math.abs(l64))));
        }
    }

}
