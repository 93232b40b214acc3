package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.api.activation.ElementwiseActivation;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link Activation}. Extend it and return your provider:
 * <pre>
 * class SwishActivationTest extends ActivationContract {
 *     protected ActivationProvider&lt;?&gt; provider() { return new SwishProvider(); }
 * }
 * </pre>
 * Override {@link #activation()} to test settings other than the defaults, and
 * {@link #samplePreActivation} to keep inputs away from kinks (ReLU's 0 is avoided already).
 */
public abstract class ActivationContract extends PluginContract<ActivationProvider<?>> {

    /** The provider under test. */
    @Override
    protected abstract ActivationProvider<?> provider();

    /** The activation under test: the provider's, with default settings. */
    protected Activation activation() {
        return createDefault(provider());
    }

    private static <C extends Record> Activation createDefault(ActivationProvider<C> p) {
        return p.create(p.defaultConfig());
    }

    /**
     * A pre-activation value; by default in [−3, 3] but at least 0.05 away from 0. Override it to
     * keep inputs in your activation's domain or away from its kinks. With the default, the float32
     * checks also use the values ×8.
     */
    protected double samplePreActivation(SplittableRandom random) {
        double z = random.nextDouble(0.05, 3);
        return random.nextBoolean() ? z : -z;
    }

    private Tensor sample(DType dtype, int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(dtype, Shape.of(rows, cols));
        for (int i = 0; i < t.size(); i++) {
            t.set(i, samplePreActivation(r));
        }
        return t;
    }

    /**
     * Inputs for the float32 checks: {@link #samplePreActivation} values and, unless the author
     * chose the inputs (a restricted domain), a third of them ×8 to reach the tails where a float32
     * kernel saturates or switches formula.
     */
    private boolean samplesItsOwnInputs() {
        for (Class<?> c = getClass(); c != ActivationContract.class; c = c.getSuperclass()) {
            try {
                c.getDeclaredMethod("samplePreActivation", SplittableRandom.class);
                return true;
            } catch (NoSuchMethodException notHere) {
                // look further up
            }
        }
        return false;
    }

    private Tensor precisionSample(int rows, int cols, long seed) {
        Tensor t = sample(DType.FLOAT64, rows, cols, seed);
        for (int i = 0; i < t.size() && !samplesItsOwnInputs(); i += 3) {
            t.set(i, 8 * t.get(i));
        }
        return t.to(DType.FLOAT32).to(DType.FLOAT64); // exact in both dtypes
    }


    @Test
    @DisplayName("its backward pass matches central differences of Σ a ⊙ r in float64")
    protected void matchesCentralDifferences() {
        Activation act = activation();
        Tensor z = sample(DType.FLOAT64, 3, 4, 7);
        Tensor r = sample(DType.FLOAT64, 3, 4, 8);
        Tensor a = Tensor.zeros(DType.FLOAT64, z.shape());
        act.forward(z, a);
        Tensor gradZ = Tensor.zeros(DType.FLOAT64, z.shape());
        act.backward(z, a, r, gradZ);
        GradientCheck.check("z", GradientCheck.of(z), () -> {
            Tensor out = Tensor.zeros(DType.FLOAT64, z.shape());
            act.forward(z, out);
            double s = 0;
            for (int i = 0; i < out.size(); i++) {
                s += out.get(i) * r.get(i);
            }
            return s;
        }, gradZ::get);
    }

    @Test
    @DisplayName("maps NaN to NaN")
    protected void nanPropagates() {
        Tensor z = Tensor.of(DType.FLOAT64, Shape.of(1, 3), Double.NaN, 0.5, -0.5);
        Tensor a = Tensor.zeros(DType.FLOAT64, z.shape());
        activation().forward(z, a);
        assertThat(a.get(0)).isNaN();
    }


    @Test
    @DisplayName("an element-wise activation gives an element the same bits wherever it sits")
    protected void elementwiseIgnoresLayout() {
        // Tiny float32 networks hand element-wise activations feature-major buffers: [units ×
        // stride], the batch along each row, padded. The same values there must give the same bits.
        Activation act = activation();
        assumeTrue(act instanceof ElementwiseActivation, "not an ElementwiseActivation");
        for (DType dtype : DType.values()) {
            int rows = 37;
            int units = 3;
            int stride = 48;
            Tensor z = sample(dtype, rows, units, 13);
            Tensor g = sample(dtype, rows, units, 14);
            Tensor zt = sample(dtype, units, stride, 15); // the padding keeps other values
            Tensor gt = sample(dtype, units, stride, 16);
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < units; c++) {
                    zt.set(c * stride + i, z.get(i * units + c));
                    gt.set(c * stride + i, g.get(i * units + c));
                }
            }
            Tensor a = Tensor.zeros(dtype, z.shape());
            Tensor at = Tensor.zeros(dtype, zt.shape());
            act.forward(z, a);
            act.forward(zt, at);
            Tensor dz = Tensor.zeros(dtype, z.shape());
            Tensor dzt = Tensor.zeros(dtype, zt.shape());
            act.backward(z, a, g, dz);
            act.backward(zt, at, gt, dzt);
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < units; c++) {
                    assertThat(Double.doubleToLongBits(at.get(c * stride + i))).as("%s a[%d][%d]", dtype, i, c)
                            .isEqualTo(Double.doubleToLongBits(a.get(i * units + c)));
                    assertThat(Double.doubleToLongBits(dzt.get(c * stride + i))).as("%s ∂L/∂z[%d][%d]", dtype, i, c)
                            .isEqualTo(Double.doubleToLongBits(dz.get(i * units + c)));
                }
            }
        }
    }

    @Test
    @DisplayName("float32 and float64 forward passes agree to float32 precision")
    protected void float32MatchesFloat64() {
        Activation act = activation();
        Tensor z64 = precisionSample(3, 8, 11);
        Tensor z32 = z64.to(DType.FLOAT32);
        Tensor a64 = Tensor.zeros(DType.FLOAT64, z64.shape());
        Tensor a32 = Tensor.zeros(DType.FLOAT32, z64.shape());
        act.forward(z64, a64);
        act.forward(z32, a32);
        agree("a", z32, a32, a64);
    }

    @Test
    @DisplayName("float32 and float64 backward passes agree to float32 precision")
    protected void float32BackwardMatchesFloat64() {
        // The float64 backward is checked against central differences; a float32 path of its own
        // (a kernel, a cheaper formula) is held to it here.
        Activation act = activation();
        Tensor z64 = precisionSample(3, 8, 17);
        Tensor g64 = sample(DType.FLOAT64, 3, 8, 18).to(DType.FLOAT32).to(DType.FLOAT64);
        Tensor z32 = z64.to(DType.FLOAT32);
        Tensor g32 = g64.to(DType.FLOAT32);
        Tensor a64 = Tensor.zeros(DType.FLOAT64, z64.shape());
        Tensor a32 = Tensor.zeros(DType.FLOAT32, z64.shape());
        act.forward(z64, a64);
        act.forward(z32, a32);
        Tensor d64 = Tensor.zeros(DType.FLOAT64, z64.shape());
        Tensor d32 = Tensor.zeros(DType.FLOAT32, z64.shape());
        act.backward(z64, a64, g64, d64);
        act.backward(z32, a32, g32, d32);
        agree("∂L/∂z", z32, d32, d64);
    }

    private static void agree(String what, Tensor z, Tensor got32, Tensor want64) {
        for (int i = 0; i < want64.size(); i++) {
            double want = want64.get(i);
            double got = got32.get(i);
            if (!(Math.abs(got - want) <= 1e-5 * Math.max(1, Math.abs(want))) && !(Double.isNaN(got) && Double.isNaN(want))) {
                throw new AssertionError(String.format("float32 %s[%d] is %s but float64 gives %s, at z = %s:"
                        + " more than float32 rounding apart (1e-5 relative)", what, i, got, want, z.get(i)));
            }
        }
    }
}
