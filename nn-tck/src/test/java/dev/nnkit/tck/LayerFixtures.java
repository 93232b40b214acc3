package dev.nnkit.tck;

import dev.nnkit.api.layer.Buffer;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Plugin authors' tests of a layer that scales and shifts each feature, drops values at random in
 * training and centres by a running mean at inference; one correct and the others each broken in
 * one way. {@link ContractsCatchBugsTest} runs each through the JUnit engine and expects exactly the
 * checks named there to fail. (Nested classes: Surefire does not run them.)
 */
final class LayerFixtures {
    private LayerFixtures() {
    }

    enum Bug { NONE, WRONG_PARAMETER_GRADIENT, WRONG_INPUT_GRADIENT, INFERENCE_MOVES_BUFFER, BIAS_ALWAYS_FLOAT64,
        FLOAT32_OFFSET, LEAVES_LAST_VALUE, MEAN_IN_A_FIELD, OWN_RANDOM, UNSEEDED_INIT, SEQUENTIAL_RANDOM, PART_MEAN }

    private static final double KEEP = 0.8;

    /**
     * Training: y = m ⊙ (γ ⊙ x + β) / 0.8 with m ~ Bernoulli(0.8) drawn per row from the pass
     * ({@code uniform}), and the running mean μ ← 0.9 μ + 0.1 mean(x) over the whole batch
     * ({@code sumOverBatch}). Inference: y = γ ⊙ (x − μ) + β.
     */
    static final class NoisyAffine implements Layer {
        private final Bug bug;
        private final Shape shape;
        private final Parameter gamma;
        private final Parameter beta;
        private final Tensor runningMean;
        private final double[] hiddenMean;
        private final RandomGenerator own;

        NoisyAffine(Bug bug, LayerContext context) {
            this.bug = bug;
            this.shape = context.inputShape();
            int k = shape.size();
            DType dtype = context.dtype();
            RandomGenerator init = bug == Bug.UNSEEDED_INIT ? new SplittableRandom() : context.random();
            gamma = Parameter.of("weight", Parameter.Role.SCALE, Tensor.zeros(dtype, Shape.of(k)));
            beta = Parameter.of("bias", Parameter.Role.SHIFT,
                    Tensor.zeros(bug == Bug.BIAS_ALWAYS_FLOAT64 ? DType.FLOAT64 : dtype, Shape.of(k)));
            for (int j = 0; j < k; j++) {
                gamma.value().set(j, init.nextDouble(0.5, 1.5));
                beta.value().set(j, init.nextDouble(-0.5, 0.5));
            }
            runningMean = Tensor.zeros(dtype, Shape.of(k));
            hiddenMean = new double[k];
            own = new SplittableRandom(context.random().nextLong());
        }

        @Override
        public Shape outputShape() {
            return shape;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(gamma, beta);
        }

        @Override
        public List<Buffer> buffers() {
            return bug == Bug.MEAN_IN_A_FIELD ? List.of() : List.of(new Buffer("running_mean", runningMean));
        }

        private double mean(int j) {
            return bug == Bug.MEAN_IN_A_FIELD ? hiddenMean[j] : runningMean.get(j);
        }

        private void updateMean(Tensor x, PassContext ctx) {
            int k = shape.size();
            int n = x.size() / k;
            double[] sums = new double[k];
            for (int j = 0; j < k; j++) {
                for (int b = 0; b < n; b++) {
                    sums[j] += x.get(b * k + j);
                }
            }
            boolean whole = bug == Bug.PART_MEAN || ctx.mode() == Mode.INFERENCE;
            if (!whole) {
                ctx.sumOverBatch(sums);
            }
            for (int j = 0; j < k; j++) {
                double m = 0.9 * mean(j) + 0.1 * sums[j] / (whole ? n : ctx.batchRows());
                hiddenMean[j] = m;
                runningMean.set(j, m);
            }
        }

        @Override
        public void forward(Tensor x, Tensor y, PassContext ctx) {
            int k = shape.size();
            boolean training = ctx.mode() == Mode.TRAINING;
            if (training || bug == Bug.INFERENCE_MOVES_BUFFER) {
                updateMean(x, ctx);
            }
            Tensor mask = training ? ctx.scratch("mask", y.shape()) : null;
            RandomGenerator random = !training ? null : bug == Bug.OWN_RANDOM ? own
                    : bug == Bug.SEQUENTIAL_RANDOM ? ctx.random() : null;
            int end = bug == Bug.LEAVES_LAST_VALUE && !training ? y.size() - 1 : y.size();
            for (int i = 0; i < end; i++) {
                int j = i % k;
                double v;
                if (training) {
                    double u = random != null ? random.nextDouble() : ctx.uniform(i / k, j);
                    mask.set(i, u < KEEP ? 1 / KEEP : 0);
                    v = mask.get(i) * (gamma.value().get(j) * x.get(i) + beta.value().get(j));
                } else {
                    v = gamma.value().get(j) * (x.get(i) - mean(j)) + beta.value().get(j);
                }
                y.set(i, v + (bug == Bug.FLOAT32_OFFSET && y.dtype() == DType.FLOAT32 ? 1e-3 : 0));
            }
        }

        @Override
        public void parameterGradients(Tensor x, Tensor dy, PassContext ctx) {
            int k = shape.size();
            Tensor mask = ctx.scratch("mask", dy.shape());
            gamma.gradient().fill(0);
            beta.gradient().fill(0);
            for (int i = 0; i < dy.size(); i++) {
                int j = i % k;
                double g = dy.get(i) * mask.get(i);
                gamma.gradient().set(j, gamma.gradient().get(j) + g * x.get(i));
                beta.gradient().set(j, beta.gradient().get(j) + (bug == Bug.WRONG_PARAMETER_GRADIENT ? 2 * g : g));
            }
        }

        @Override
        public void inputGradient(Tensor x, Tensor y, Tensor dy, Tensor dx, PassContext ctx) {
            int k = shape.size();
            Tensor mask = ctx.scratch("mask", dy.shape());
            for (int i = 0; i < dx.size(); i++) {
                double g = dy.get(i) * mask.get(i);
                dx.set(i, bug == Bug.WRONG_INPUT_GRADIENT ? g : g * gamma.value().get(i % k));
            }
        }
    }

    abstract static class Fixture extends LayerContract {
        private final Bug bug;

        Fixture(Bug bug) {
            this.bug = bug;
        }

        @Override
        protected Layer layer(LayerContext context) {
            return new NoisyAffine(bug, context);
        }
    }

    static class Correct extends Fixture {
        Correct() {
            super(Bug.NONE);
        }
    }

    static class WrongParameterGradient extends Fixture {
        WrongParameterGradient() {
            super(Bug.WRONG_PARAMETER_GRADIENT);
        }
    }

    static class WrongInputGradient extends Fixture {
        WrongInputGradient() {
            super(Bug.WRONG_INPUT_GRADIENT);
        }
    }

    static class InferenceMovesBuffer extends Fixture {
        InferenceMovesBuffer() {
            super(Bug.INFERENCE_MOVES_BUFFER);
        }
    }

    static class BiasAlwaysFloat64 extends Fixture {
        BiasAlwaysFloat64() {
            super(Bug.BIAS_ALWAYS_FLOAT64);
        }
    }

    static class Float32Offset extends Fixture {
        Float32Offset() {
            super(Bug.FLOAT32_OFFSET);
        }
    }

    static class LeavesLastValue extends Fixture {
        LeavesLastValue() {
            super(Bug.LEAVES_LAST_VALUE);
        }
    }

    static class MeanInAField extends Fixture {
        MeanInAField() {
            super(Bug.MEAN_IN_A_FIELD);
        }
    }

    static class OwnRandom extends Fixture {
        OwnRandom() {
            super(Bug.OWN_RANDOM);
        }
    }

    static class UnseededInit extends Fixture {
        UnseededInit() {
            super(Bug.UNSEEDED_INIT);
        }
    }

    static class SequentialRandom extends Fixture {
        SequentialRandom() {
            super(Bug.SEQUENTIAL_RANDOM);
        }
    }

    static class PartMean extends Fixture {
        PartMean() {
            super(Bug.PART_MEAN);
        }
    }
}
