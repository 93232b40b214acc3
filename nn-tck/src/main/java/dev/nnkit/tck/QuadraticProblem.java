package dev.nnkit.tck;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.StepContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optimizer contract's problem: f(θ) = ½ Σ aᵢ(θᵢ − cᵢ)² for one parameter of shape [2, 3],
 * with θ, ∇f and the optimizer's slots. The constants are in {@link OptimizerContract}'s
 * documentation, so an author can reproduce a trajectory elsewhere.
 */
final class QuadraticProblem {
    static final double[] A = {1.0, 0.5, 2.0, 0.1, 1.5, 0.8};
    static final double[] C = {0.3, -0.7, 1.1, 0.0, -0.2, 0.5};
    static final double[] THETA0 = {1.0, 1.0, -1.0, 0.5, 0.7, -0.4};

    final Tensor theta;
    final Tensor grad;
    final Map<String, Tensor> slots = new LinkedHashMap<>();

    QuadraticProblem(Optimizer o, DType dtype) {
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

    /** Step {@code t} at the optimizer's configured learning rate. */
    void step(Optimizer o, long t) {
        step(o, t, o.learningRate());
    }

    /** Step {@code t} at learning rate {@code lr}, then a check that θ is still finite. */
    void step(Optimizer o, long t, double lr) {
        setGradient();
        double[] before = theta.toDoubleArray();
        o.update(theta, grad, this::slot, new StepContext(t, lr));
        requireFinite(t, before);
    }

    /** The same step as {@link #step(Optimizer, long, double)}, as updates of the given ranges, in that order. */
    void stepInRanges(Optimizer o, long t, double lr, int[][] ranges) {
        setGradient();
        for (int[] r : ranges) {
            o.updateRange(theta, grad, this::slot, t, lr, r[0], r[1]);
        }
    }

    void setGradient() {
        for (int i = 0; i < A.length; i++) {
            grad.set(i, A[i] * (theta.get(i) - C[i]));
        }
    }

    /** A copy of θ and every slot, to compare bit for bit. */
    double[][] snapshot() {
        double[][] s = new double[1 + slots.size()][];
        s[0] = theta.toDoubleArray();
        int k = 1;
        for (Tensor t : slots.values()) {
            s[k++] = t.toDoubleArray();
        }
        return s;
    }

    void restore(double[][] snapshot) {
        set(theta, snapshot[0]);
        int k = 1;
        for (Tensor t : slots.values()) {
            set(t, snapshot[k++]);
        }
    }

    private static void set(Tensor t, double[] values) {
        for (int i = 0; i < values.length; i++) {
            t.set(i, values[i]);
        }
    }

    Tensor slot(String name) {
        Tensor s = slots.get(name);
        if (s == null) {
            throw new AssertionError("update() asked for state slot '" + name + "', which stateSlots() "
                    + "and scalarStateSlots() do not declare: " + slots.keySet());
        }
        return s;
    }

    private void requireFinite(long t, double[] before) {
        for (int i = 0; i < theta.size(); i++) {
            if (!Double.isFinite(theta.get(i))) {
                throw new AssertionError("θ[" + i + "] became " + theta.get(i) + " at step " + t + " (" + theta.dtype()
                        + "), from θ = " + Arrays.toString(before) + " with ∇f = " + Arrays.toString(grad.toDoubleArray())
                        + "; slots now " + slotsText() + ". A finite gradient must keep θ finite.");
            }
        }
    }

    private String slotsText() {
        StringBuilder b = new StringBuilder("{");
        slots.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=')
                .append(Arrays.toString(v.toDoubleArray())));
        return b.append('}').toString();
    }
}
