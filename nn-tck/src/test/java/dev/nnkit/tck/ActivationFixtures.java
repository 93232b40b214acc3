package dev.nnkit.tck;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.api.activation.ElementwiseActivation;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;

/**
 * Plugin authors' tests of softsign, a = z / (1 + |z|), one correct and the others each broken in
 * one way. {@link ContractsCatchBugsTest} runs each through the JUnit engine and expects exactly the
 * checks named there to fail. (Nested classes: Surefire does not run them.)
 */
final class ActivationFixtures {
    private ActivationFixtures() {
    }

    enum Bug { NONE, WRONG_DERIVATIVE, WRONG_FLOAT32_DERIVATIVE, WRONG_FLOAT32_FORWARD, NAN_SATURATES, LAYOUT_DEPENDENT }

    static final class SoftsignProvider extends SettinglessProvider<Activation> implements ActivationProvider<NoConfig> {
        private final Bug bug;

        SoftsignProvider(Bug bug) {
            super("softsign-fixture", "z / (1 + |z|)");
            this.bug = bug;
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public Activation create(NoConfig config) {
            return bug == Bug.LAYOUT_DEPENDENT ? new PairedSoftsign() : new Softsign(bug);
        }
    }

    /** Its own loops, as a plugin with a float32 kernel would have. */
    static final class Softsign implements Activation {
        private final Bug bug;

        Softsign(Bug bug) {
            this.bug = bug;
        }

        @Override
        public void forward(Tensor z, Tensor a) {
            boolean float32 = z.dtype() == DType.FLOAT32;
            for (int i = 0; i < z.size(); i++) {
                double x = z.get(i);
                double out = x / (1 + Math.abs(x) + (bug == Bug.WRONG_FLOAT32_FORWARD && float32 ? 1e-3 : 0));
                if (bug == Bug.NAN_SATURATES && !(x > -50)) {
                    out = -1; // a shortcut for the tail that NaN takes too
                }
                a.set(i, out);
            }
        }

        @Override
        public void backward(Tensor z, Tensor a, Tensor gradA, Tensor gradZ) {
            boolean float32 = z.dtype() == DType.FLOAT32;
            for (int i = 0; i < z.size(); i++) {
                double d = 1 + Math.abs(z.get(i));
                double derivative = bug == Bug.WRONG_DERIVATIVE || (bug == Bug.WRONG_FLOAT32_DERIVATIVE && float32)
                        ? 1 / d : 1 / (d * d);
                gradZ.set(i, gradA.get(i) * derivative);
            }
        }
    }

    /** Softsign whose forward pass computes odd indices another way: bits that depend on where a value sits. */
    static final class PairedSoftsign implements ElementwiseActivation {
        @Override
        public double apply(double z) {
            return z / (1 + Math.abs(z));
        }

        @Override
        public double derivative(double z, double a) {
            double d = 1 + Math.abs(z);
            return 1 / (d * d);
        }

        @Override
        public void forward(Tensor z, Tensor a) {
            for (int i = 0; i < z.size(); i++) {
                double x = z.get(i);
                a.set(i, i % 2 == 0 ? apply(x) : x * (1 / (1 + Math.abs(x))));
            }
        }
    }

    abstract static class Fixture extends ActivationContract {
        private final Bug bug;

        Fixture(Bug bug) {
            this.bug = bug;
        }

        @Override
        protected ActivationProvider<?> provider() {
            return new SoftsignProvider(bug);
        }
    }

    static class Correct extends Fixture {
        Correct() {
            super(Bug.NONE);
        }
    }

    static class WrongDerivative extends Fixture {
        WrongDerivative() {
            super(Bug.WRONG_DERIVATIVE);
        }
    }

    static class WrongFloat32Derivative extends Fixture {
        WrongFloat32Derivative() {
            super(Bug.WRONG_FLOAT32_DERIVATIVE);
        }
    }

    static class WrongFloat32Forward extends Fixture {
        WrongFloat32Forward() {
            super(Bug.WRONG_FLOAT32_FORWARD);
        }
    }

    static class NanSaturates extends Fixture {
        NanSaturates() {
            super(Bug.NAN_SATURATES);
        }
    }

    static class LayoutDependent extends Fixture {
        LayoutDependent() {
            super(Bug.LAYOUT_DEPENDENT);
        }
    }
}
