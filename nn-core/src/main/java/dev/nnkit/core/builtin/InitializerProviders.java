package dev.nnkit.core.builtin;

import dev.nnkit.api.init.Initializer;
import dev.nnkit.api.init.InitializerProvider;
import dev.nnkit.api.plugin.BasicPluginProvider;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.core.config.InitializerConfig;

/**
 * Glorot/Xavier (Glorot and Bengio, 2010) and He/Kaiming (He et al., 2015) initializers, uniform
 * and normal, with the bounds and deviations of {@code torch.nn.init}:
 * <pre>
 *   glorot-uniform  U(−a, a),  a = gain·√(6 / (fanIn + fanOut))
 *   glorot-normal   N(0, σ²),  σ = gain·√(2 / (fanIn + fanOut))
 *   he-uniform      U(−a, a),  a = gain·√(6 / fanIn)
 *   he-normal       N(0, σ²),  σ = gain·√(2 / fanIn)
 *   torch-default   U(−a, a),  a = gain / √fanIn
 *   zeros           0
 * </pre>
 * {@code torch-default} is what PyTorch's {@code nn.Linear} and {@code nn.Conv2d} draw when
 * created, for the weights ({@code kaiming_uniform_(a=√5)}: √(1/3)·√(3/fanIn) = 1/√fanIn) and
 * for the bias (U(−1/√fanIn, 1/√fanIn)), so the same setting on {@code weightInit} and
 * {@code biasInit} starts a layer as PyTorch does (the same distribution; the draws are nnkit's).
 */
public final class InitializerProviders {
    private InitializerProviders() {
    }

    /** Shared shell: the basics, and the distribution's scale as a function of the fans. */
    abstract static class Base extends BasicPluginProvider<InitializerConfig, Initializer>
            implements InitializerProvider<InitializerConfig> {
    @Override
    public final int spiVersion() {
        return SPI_VERSION;
    }

        private final boolean uniform;

        Base(String id, String description, boolean uniform) {
            super(id, description, InitializerConfig.class, new InitializerConfig(1));
            this.uniform = uniform;
        }

        /** The bound (uniform) or standard deviation (normal) before the gain. */
        abstract double scale(int fanIn, int fanOut);

        @Override
        public final Initializer create(InitializerConfig config) {
            return (w, fanIn, fanOut, random) -> {
                double s = config.gain() * scale(fanIn, fanOut);
                for (int i = 0; i < w.size(); i++) {
                    w.set(i, uniform ? random.nextDouble(-s, s) : s * random.nextGaussian());
                }
            };
        }
    }

    public static final class GlorotUniform extends Base {
        public GlorotUniform() {
            super("glorot-uniform", "Glorot/Xavier uniform: U(−a, a), a = gain·√(6/(fanIn+fanOut))", true);
        }

        @Override
        double scale(int fanIn, int fanOut) {
            return Math.sqrt(6.0 / (fanIn + fanOut));
        }
    }

    public static final class GlorotNormal extends Base {
        public GlorotNormal() {
            super("glorot-normal", "Glorot/Xavier normal: N(0, σ²), σ = gain·√(2/(fanIn+fanOut))", false);
        }

        @Override
        double scale(int fanIn, int fanOut) {
            return Math.sqrt(2.0 / (fanIn + fanOut));
        }
    }

    public static final class HeUniform extends Base {
        public HeUniform() {
            super("he-uniform", "He/Kaiming uniform: U(−a, a), a = gain·√(6/fanIn)", true);
        }

        @Override
        double scale(int fanIn, int fanOut) {
            return Math.sqrt(6.0 / fanIn);
        }
    }

    public static final class TorchDefault extends Base {
        public TorchDefault() {
            super("torch-default", "PyTorch's nn.Linear/nn.Conv2d default, weights and bias: U(−a, a), a = gain/√fanIn",
                    true);
        }

        @Override
        double scale(int fanIn, int fanOut) {
            return 1 / Math.sqrt(fanIn);
        }
    }

    /** All zeros: the usual bias (and Keras's {@code zeros}); no random draw. */
    public static final class Zeros extends BasicPluginProvider<NoConfig, Initializer>
            implements InitializerProvider<NoConfig> {
        public Zeros() {
            super("zeros", "Zeros (the default for biases)", NoConfig.class, NoConfig.INSTANCE);
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public Initializer create(NoConfig config) {
            return (w, fanIn, fanOut, random) -> w.fill(0);
        }
    }

    public static final class HeNormal extends Base {
        public HeNormal() {
            super("he-normal", "He/Kaiming normal: N(0, σ²), σ = gain·√(2/fanIn)", false);
        }

        @Override
        double scale(int fanIn, int fanOut) {
            return Math.sqrt(2.0 / fanIn);
        }
    }
}
