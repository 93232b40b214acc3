package dev.nnkit.optimizers.internal;

import dev.nnkit.api.optimizer.ElementwiseOptimizer;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015, "Adam: A Method for Stochastic Optimization") as
 * {@code torch.optim.Adam}:
 * <pre>
 *   g ← ∇θ + λθ
 *   m ← β₁m + (1 − β₁)g           v ← β₂v + (1 − β₂)g²
 *   v_max ← max(v_max, v)          (AMSGrad only; then v_max replaces v below)
 *   θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * The first step therefore moves each weight by about η·sign(g). AdamW (Loshchilov and Hutter,
 * 2019) decouples the weight decay instead: θ ← θ(1 − ηλ) before the step, and g is left alone.
 */
final class AdamOptimizer implements ElementwiseOptimizer {
    // float32 tensors take a loop in float over the arrays, as PyTorch computes it and the JIT can
    // vectorize; float64 and AMSGrad take the general loop below.
    static final String EXP_AVG = "exp_avg";
    static final String EXP_AVG_SQ = "exp_avg_sq";
    static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";
    /** The settings Adam and AdamW share; {@code decoupled} says which decay applies. */
    record Settings(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                    boolean amsgrad, boolean decoupled) {
    }

    private final Settings c;

    AdamOptimizer(Settings settings) {
        this.c = settings;
    }

    @Override
    public List<String> stateSlots() {
        return c.amsgrad() ? List.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ) : List.of(EXP_AVG, EXP_AVG_SQ);
    }

    @Override
    public double learningRate() {
        return c.learningRate();
    }

    @Override
    public void updateRange(Tensor value, Tensor gradient, ParameterState state, long stepNumber, double learningRate,
                            int from, int to) {
        Tensor m = state.slot(EXP_AVG);
        Tensor v = state.slot(EXP_AVG_SQ);
        Tensor vMax = c.amsgrad() ? state.slot(MAX_EXP_AVG_SQ) : v;
        double b1 = c.beta1();
        double b2 = c.beta2();
        double stepSize = learningRate / (1 - Math.pow(b1, stepNumber));
        double sqrtBias2 = Math.sqrt(1 - Math.pow(b2, stepNumber));
        if (!c.amsgrad() && value instanceof Float32Tensor vf && gradient instanceof Float32Tensor gf
                && m instanceof Float32Tensor mf && v instanceof Float32Tensor sf) {
            update32(vf.data(), gf.data(), mf.data(), sf.data(), (float) stepSize, (float) sqrtBias2,
                    (float) learningRate, from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            double theta = value.get(i);
            double g = gradient.get(i);
            if (c.decoupled()) {
                theta *= 1 - learningRate * c.weightDecay();
            } else {
                g += c.weightDecay() * theta;
            }
            double mi = b1 * m.get(i) + (1 - b1) * g;
            double vi = b2 * v.get(i) + (1 - b2) * g * g;
            m.set(i, mi);
            v.set(i, vi);
            double denomV = vi;
            if (c.amsgrad()) {
                denomV = Math.max(vMax.get(i), vi);
                vMax.set(i, denomV);
            }
            value.set(i, theta - stepSize * m.get(i) / (Math.sqrt(denomV) / sqrtBias2 + c.epsilon()));
        }
    }

    private void update32(float[] theta, float[] grad, float[] m, float[] v, float stepSize, float sqrtBias2, float lr,
                          int from, int to) {
        float b1 = (float) c.beta1();
        float b2 = (float) c.beta2();
        float oneMinusB1 = (float) (1 - c.beta1());
        float oneMinusB2 = (float) (1 - c.beta2());
        float eps = (float) c.epsilon();
        float wd = (float) c.weightDecay();
        float shrink = c.decoupled() ? 1 - lr * wd : 1f;
        float coupled = c.decoupled() ? 0f : wd;
        for (int i = from; i < to; i++) {
            float t = theta[i] * shrink;
            float g = grad[i] + coupled * t;
            float mi = b1 * m[i] + oneMinusB1 * g;
            float vi = b2 * v[i] + oneMinusB2 * g * g;
            m[i] = mi;
            v[i] = vi;
            theta[i] = t - stepSize * mi / ((float) Math.sqrt(vi) / sqrtBias2 + eps);
        }
    }
}
