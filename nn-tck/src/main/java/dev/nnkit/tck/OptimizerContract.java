package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.OptimizerProvider;
import dev.nnkit.api.optimizer.StepContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link Optimizer}, run on the quadratic f(θ) = ½ Σ aᵢ(θᵢ − cᵢ)². Extend it and
 * return your provider:
 * <pre>
 * class LionOptimizerTest extends OptimizerContract {
 *     protected OptimizerProvider&lt;?&gt; provider() { return new LionProvider(); }
 * }
 * </pre>
 * Stated handling of non-finite input: a NaN gradient element makes that parameter NaN (never
 * silently skipped), so training stops with a divergence error.
 */
public abstract class OptimizerContract extends PluginContract<OptimizerProvider<?>> {
    private static final double[] A = {1.0, 0.5, 2.0, 0.1, 1.5, 0.8};
    private static final double[] C = {0.3, -0.7, 1.1, 0.0, -0.2, 0.5};
    private static final double[] THETA0 = {1.0, 1.0, -1.0, 0.5, 0.7, -0.4};

    /** The provider under test. */
    @Override
    protected abstract OptimizerProvider<?> provider();

    /** The optimizer under test, new each call: the provider's, with default settings. */
    protected Optimizer optimizer() {
        return createDefault(provider());
    }


    private static <C extends Record> Optimizer createDefault(OptimizerProvider<C> p) {
        return p.create(p.defaultConfig());
    }

    /** θ, ∇f and the optimizer's slots for one parameter tensor of shape [2, 3]. */
    private static final class Problem {
        final Tensor theta;
        final Tensor grad;
        final Map<String, Tensor> slots = new LinkedHashMap<>();

        Problem(Optimizer o, DType dtype) {
            theta = Tensor.of(dtype, Shape.of(2, 3), THETA0);
            grad = Tensor.zeros(dtype, theta.shape());
            o.stateSlots().forEach(s -> slots.put(s, Tensor.zeros(dtype, theta.shape())));
            o.scalarStateSlots().forEach(s -> slots.put(s, Tensor.zeros(DType.FLOAT64, Shape.of(1))));
        }

        double loss() {
            double f = 0;
            for (int i = 0; i < A.length; i++) {
                f += 0.5 * A[i] * Math.pow(theta.get(i) - C[i], 2);
            }
            return f;
        }

        void step(Optimizer o, long t) {
            setGradient();
            o.update(theta, grad, this::slot, new StepContext(t, o.learningRate()));
        }

        /** The same step as {@link #step}, as updates of the given ranges, in the order given. */
        void stepInRanges(Optimizer o, long t, int[][] ranges) {
            setGradient();
            for (int[] r : ranges) {
                o.updateRange(theta, grad, this::slot, t, o.learningRate(), r[0], r[1]);
            }
        }

        private void setGradient() {
            for (int i = 0; i < A.length; i++) {
                grad.set(i, A[i] * (theta.get(i) - C[i]));
            }
        }

        private Tensor slot(String name) {
            Tensor s = slots.get(name);
            if (s == null) {
                throw new AssertionError("update() asked for state slot '" + name + "', which stateSlots() "
                        + "and scalarStateSlots() do not declare: " + slots.keySet());
            }
            return s;
        }
    }


    @Nested
    @DisplayName("on a quadratic")
    class OnAQuadratic {
        @Test
        @DisplayName("lowers the loss over 100 steps with its default settings")
        void lowersTheLoss() {
            Optimizer o = optimizer();
            Problem p = new Problem(o, DType.FLOAT64);
            double before = p.loss();
            for (int t = 1; t <= 100; t++) {
                p.step(o, t);
            }
            assertThat(p.loss()).as("loss after 100 steps (it was %s)", before).isLessThan(before);
        }

        @Test
        @DisplayName("gives bit-identical trajectories on repeated runs")
        void deterministic() {
            assertThat(run(optimizer(), DType.FLOAT64, 30)).containsExactly(run(optimizer(), DType.FLOAT64, 30));
        }

        @Test
        @DisplayName("agrees between float32 and float64 to float32 precision over 20 steps")
        void float32MatchesFloat64() {
            double[] a = run(optimizer(), DType.FLOAT64, 20);
            double[] b = run(optimizer(), DType.FLOAT32, 20);
            for (int i = 0; i < a.length; i++) {
                assertThat(Math.abs(b[i] - a[i])).as("θ[%d] float32 %s vs float64 %s", i, b[i], a[i])
                        .isLessThanOrEqualTo(1e-4 * Math.max(1, Math.abs(a[i])));
            }
        }

        @Test
        @DisplayName("makes a parameter NaN when its gradient is NaN")
        void nanPropagates() {
            Optimizer o = optimizer();
            Problem p = new Problem(o, DType.FLOAT64);
            p.grad.fill(1);
            p.grad.set(0, Double.NaN);
            o.update(p.theta, p.grad, p.slots::get, new StepContext(1, o.learningRate()));
            assertThat(p.theta.get(0)).isNaN();
        }

        private double[] run(Optimizer o, DType dtype, int steps) {
            Problem p = new Problem(o, dtype);
            for (int t = 1; t <= steps; t++) {
                p.step(o, t);
            }
            return p.theta.toDoubleArray();
        }
    }

    @Nested
    @DisplayName("element-wise updates")
    class Elementwise {
        @Test
        @DisplayName("when elementwise() is true, updating ranges in any order gives the bits of a whole update")
        void rangesMatchWholeUpdates() {
            Optimizer o = optimizer();
            assumeTrue(o.elementwise(), "elementwise() is false: the engine always updates whole tensors");
            for (DType dtype : DType.values()) {
                Problem whole = new Problem(o, dtype);
                Problem ranges = new Problem(optimizer(), dtype);
                for (int t = 1; t <= 12; t++) {
                    whole.step(o, t);
                    ranges.stepInRanges(o, t, new int[][] {{5, 6}, {0, 2}, {2, 5}});
                    assertThat(ranges.theta.toDoubleArray()).as("%s θ after step %d in ranges [5,6), [0,2), [2,5)", dtype, t)
                            .containsExactly(whole.theta.toDoubleArray());
                    for (String slot : whole.slots.keySet()) {
                        assertThat(ranges.slots.get(slot).toDoubleArray()).as("%s slot '%s' after step %d", dtype, slot, t)
                                .containsExactly(whole.slots.get(slot).toDoubleArray());
                    }
                }
            }
        }
    }

    @Nested
    @DisplayName("state")
    class State {
        @Test
        @DisplayName("saved after 5 steps and restored into a new optimizer replays the next 10 steps exactly")
        void saveRestoreReplays() {
            Optimizer first = optimizer();
            Problem p = new Problem(first, DType.FLOAT64);
            for (int t = 1; t <= 5; t++) {
                p.step(first, t);
            }
            double[] savedTheta = p.theta.toDoubleArray();
            Map<String, double[]> savedSlots = new LinkedHashMap<>();
            p.slots.forEach((k, v) -> savedSlots.put(k, v.toDoubleArray()));
            double[][] uninterrupted = new double[10][];
            for (int t = 6; t <= 15; t++) {
                p.step(first, t);
                uninterrupted[t - 6] = p.theta.toDoubleArray();
            }

            Optimizer second = optimizer();
            Problem q = new Problem(second, DType.FLOAT64);
            for (int i = 0; i < savedTheta.length; i++) {
                q.theta.set(i, savedTheta[i]);
            }
            savedSlots.forEach((k, v) -> {
                for (int i = 0; i < v.length; i++) {
                    q.slots.get(k).set(i, v[i]);
                }
            });
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
        @DisplayName("lives only in the declared slots, all of them used")
        void slotsAreUsed() {
            Optimizer o = optimizer();
            Problem p = new Problem(o, DType.FLOAT64);
            p.step(o, 1);
            p.step(o, 2);
            p.slots.forEach((name, t) -> assertThat(t.toDoubleArray()).as("slot '%s' after two steps", name)
                    .isNotEqualTo(new double[t.size()]));
        }
    }

}
