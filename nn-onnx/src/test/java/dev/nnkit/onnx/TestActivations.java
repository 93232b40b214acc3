package dev.nnkit.onnx;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.api.activation.ElementwiseActivation;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import java.util.Set;

/**
 * Two activation plugins as a third party would write them, registered in this module's test
 * META-INF/services: {@code hard-sigmoid}, which also provides its ONNX mapping, and {@code cube},
 * which does not.
 */
final class TestActivations {
    private TestActivations() {
    }

    /** h(z) = max(0, min(1, z/6 + 1/2)), as PyTorch's {@code Hardsigmoid}. */
    public static final class HardSigmoid extends SettinglessProvider<Activation> implements ActivationProvider<NoConfig> {
        public HardSigmoid() {
            super("hard-sigmoid", "h(z) = max(0, min(1, z/6 + 1/2))");
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public Activation create(NoConfig config) {
            return new ElementwiseActivation() {
                @Override
                public double apply(double z) {
                    return Math.max(0, Math.min(1, z / 6 + 0.5));
                }

                @Override
                public double derivative(double z, double a) {
                    return z > -3 && z < 3 ? 1.0 / 6 : 0;
                }
            };
        }
    }

    /** ONNX's {@code HardSigmoid} with PyTorch's α = 1/6, β = 1/2. */
    public static final class HardSigmoidOnnx implements OnnxMapping {
        @Override
        public Set<String> ids() {
            return Set.of("hard-sigmoid");
        }

        @Override
        public String map(OnnxStage stage, OnnxGraph graph) {
            return graph.node("HardSigmoid", stage.input()).attribute("alpha", 1 / 6f).attribute("beta", 0.5f).output();
        }
    }

    /** h(z) = z³, with no ONNX mapping. */
    public static final class Cube extends SettinglessProvider<Activation> implements ActivationProvider<NoConfig> {
        public Cube() {
            super("cube", "h(z) = z³");
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public Activation create(NoConfig config) {
            return new ElementwiseActivation() {
                @Override
                public double apply(double z) {
                    return z * z * z;
                }

                @Override
                public double derivative(double z, double a) {
                    return 3 * z * z;
                }
            };
        }
    }
}
