package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.init.Initializer;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Layer}: the gradients of every parameter and of the input match
 * central differences of the scalar objective Σ output ⊙ r for a fixed random r. Extend it and
 * build your layer from the context given:
 * <pre>
 * class MyLayerTest extends LayerContract {
 *     protected Layer layer(LayerContext ctx) { return new MyLayerProvider().create(config, ctx); }
 * }
 * </pre>
 */
public abstract class LayerContract {

    /** The layer under test, built for the given context (3 inputs, seeded random). */
    protected abstract Layer layer(LayerContext context);

    /** A context with {@code inputs} features, {@code dtype}, seeded uniform(−1, 1) initializers. */
    protected static LayerContext context(int inputs, DType dtype, long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        return new LayerContext() {
            @Override
            public int inputSize() {
                return inputs;
            }

            @Override
            public DType dtype() {
                return dtype;
            }

            @Override
            public RandomGenerator random() {
                return random;
            }

            @Override
            public Initializer initializer(String id) {
                return (w, fanIn, fanOut, r) -> {
                    for (int i = 0; i < w.size(); i++) {
                        w.set(i, r.nextDouble(-1, 1));
                    }
                };
            }
        };
    }

    private static Tensor random(DType dtype, Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble(-2, 2));
        }
        return t;
    }

    private static double objective(Layer layer, Tensor x, Tensor r) {
        Tensor out = Tensor.zeros(x.dtype(), r.shape());
        layer.forward(x, out);
        double s = 0;
        for (int i = 0; i < out.size(); i++) {
            s += out.get(i) * r.get(i);
        }
        return s;
    }

    @Nested
    @DisplayName("backward in float64")
    class Backward {
        private final Layer layer = layer(context(3, DType.FLOAT64, 1));
        private final Tensor x = random(DType.FLOAT64, Shape.of(5, 3), 2);
        private final Tensor r = random(DType.FLOAT64, Shape.of(5, layer.outputSize()), 3);

        @Test
        @DisplayName("writes parameter gradients that match central differences")
        void parameterGradients() {
            layer.parameterGradients(x, r);
            for (Parameter p : layer.parameters()) {
                Tensor analytic = p.gradient().copy();
                GradientCheck.check(p.name(), GradientCheck.of(p.value()), () -> objective(layer, x, r), analytic::get);
            }
        }

        @Test
        @DisplayName("writes an input gradient that matches central differences")
        void inputGradient() {
            Tensor out = Tensor.zeros(DType.FLOAT64, r.shape());
            layer.forward(x, out);
            Tensor dx = Tensor.zeros(DType.FLOAT64, x.shape());
            layer.inputGradient(x, out, r, dx);
            GradientCheck.check("input", GradientCheck.of(x), () -> objective(layer, x, r), dx::get);
        }
    }

    @Test
    @DisplayName("reports sizes that fit its context and its parameters")
    void sizes() {
        Layer layer = layer(context(3, DType.FLOAT32, 1));
        assertThat(layer.inputSize()).isEqualTo(3);
        assertThat(layer.outputSize()).isPositive();
        for (Parameter p : layer.parameters()) {
            assertThat(p.value().dtype()).as("dtype of %s", p.name()).isEqualTo(DType.FLOAT32);
        }
    }

    @Test
    @DisplayName("gives float32 outputs that agree with float64 to float32 precision")
    void float32MatchesFloat64() {
        Layer l64 = layer(context(3, DType.FLOAT64, 9));
        Layer l32 = layer(context(3, DType.FLOAT32, 9));
        for (int i = 0; i < l64.parameters().size(); i++) {
            l32.parameters().get(i).value().copyFrom(l64.parameters().get(i).value());
            l64.parameters().get(i).value().copyFrom(l32.parameters().get(i).value()); // same rounded start
        }
        Tensor x64 = random(DType.FLOAT64, Shape.of(4, 3), 10).to(DType.FLOAT32).to(DType.FLOAT64);
        Tensor out64 = Tensor.zeros(DType.FLOAT64, Shape.of(4, l64.outputSize()));
        Tensor out32 = Tensor.zeros(DType.FLOAT32, out64.shape());
        l64.forward(x64, out64);
        l32.forward(x64.to(DType.FLOAT32), out32);
        for (int i = 0; i < out64.size(); i++) {
            assertThat(Math.abs(out32.get(i) - out64.get(i))).as("output[%d]", i)
                    .isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(out64.get(i))));
        }
    }

    @Test
    @DisplayName("is deterministic for a fixed seed")
    void deterministic() {
        Layer a = layer(context(3, DType.FLOAT64, 5));
        Layer b = layer(context(3, DType.FLOAT64, 5));
        for (int i = 0; i < a.parameters().size(); i++) {
            assertThat(a.parameters().get(i).value().toDoubleArray())
                    .containsExactly(b.parameters().get(i).value().toDoubleArray());
        }
    }
}
