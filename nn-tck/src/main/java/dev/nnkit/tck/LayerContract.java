package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.init.Initializer;
import dev.nnkit.api.layer.Buffer;
import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.LayerContext;
import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Layer}: in training mode the gradients of every parameter and of the
 * input match central differences of the scalar objective Σ output ⊙ r for a fixed random r (the
 * layer's random stream replays the same draws in every pass); in inference mode forward is
 * deterministic and changes nothing but its output; forward writes every value of the declared
 * output shape and backward every value of the input gradient; a layer rebuilt from saved
 * parameters and buffers predicts the same; random draws come only from the pass's stream, so
 * a run resumed with the stream's saved state draws the same masks; and a batch split in parts
 * (nn-spark's synchronous training) trains as the whole. Extend it and build your layer
 * from the context given; override {@link #inputShape()} for a layer that takes images:
 * <pre>
 * class MyLayerTest extends LayerContract {
 *     protected Layer layer(LayerContext ctx) { return new MyLayerProvider().create(config, ctx); }
 * }
 * </pre>
 */
public abstract class LayerContract {
    private static final int BATCH = 5;

    /** The layer under test, built for the given context (seeded random, {@link #inputShape()}). */
    protected abstract Layer layer(LayerContext context);

    /** The per-sample shape the layer is built for and checked with: {@code [3]} unless overridden. */
    protected Shape inputShape() {
        return Shape.of(3);
    }

    /** A context with {@code inputShape}, {@code dtype}, seeded uniform(−1, 1) initializers. */
    protected static LayerContext context(Shape inputShape, DType dtype, long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        return new LayerContext() {
            @Override
            public Shape inputShape() {
                return inputShape;
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

    /**
     * A pass context as the engine would give it: scratch kept by name, and in training a random
     * stream seeded with {@code seed}. For an implementor's own tests that call a layer directly.
     */
    protected static PassContext passContext(Mode mode, DType dtype, long seed) {
        return new ContractPassContext(mode, dtype, seed, -1);
    }

    /** As {@link #passContext(Mode, DType, long)} for a batch of {@code rows} rows ({@link PassContext#batchRows}). */
    protected static PassContext passContext(Mode mode, DType dtype, long seed, int rows) {
        return new ContractPassContext(mode, dtype, seed, rows);
    }

    private Layer build(DType dtype, long seed) {
        return layer(context(inputShape(), dtype, seed));
    }

    private static Tensor random(DType dtype, Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble(-2, 2));
        }
        return t;
    }

    private static double objective(Layer layer, Tensor x, Tensor r, ContractPassContext ctx) {
        Tensor out = Tensor.zeros(x.dtype(), r.shape());
        layer.forward(x, out, ctx.replay());
        double s = 0;
        for (int i = 0; i < out.size(); i++) {
            s += out.get(i) * r.get(i);
        }
        return s;
    }

    /** A float64 layer in training mode, an input, and the weights r of the objective Σ y ⊙ r. */
    private record Checked(Layer layer, Tensor x, Tensor r, ContractPassContext ctx) {
    }

    private Checked checked() {
        Layer layer = build(DType.FLOAT64, 1);
        return new Checked(layer, random(DType.FLOAT64, inputShape().withBatch(BATCH), 2),
                random(DType.FLOAT64, layer.outputShape().withBatch(BATCH), 3),
                new ContractPassContext(Mode.TRAINING, DType.FLOAT64, 4, BATCH));
    }

    @Test
    @DisplayName("writes parameter gradients that match central differences, in float64 and training mode")
    protected void parameterGradients() {
        Checked c = checked();
        Tensor out = Tensor.zeros(DType.FLOAT64, c.r().shape());
        c.layer().forward(c.x(), out, c.ctx().replay());
        c.layer().parameterGradients(c.x(), c.r(), c.ctx());
        for (Parameter p : c.layer().parameters()) {
            Tensor analytic = p.gradient().copy();
            GradientCheck.check(p.name(), GradientCheck.of(p.value()), () -> objective(c.layer(), c.x(), c.r(), c.ctx()),
                    analytic::get);
        }
    }

    @Test
    @DisplayName("writes an input gradient that matches central differences, in float64 and training mode")
    protected void inputGradient() {
        Checked c = checked();
        Tensor out = Tensor.zeros(DType.FLOAT64, c.r().shape());
        c.layer().forward(c.x(), out, c.ctx().replay());
        Tensor dx = Tensor.zeros(DType.FLOAT64, c.x().shape());
        c.layer().inputGradient(c.x(), out, c.r(), dx, c.ctx());
        GradientCheck.check("input", GradientCheck.of(c.x()), () -> objective(c.layer(), c.x(), c.r(), c.ctx()), dx::get);
    }

    @Test
    @DisplayName("in inference mode, gives the same output twice and changes no parameter or buffer")
    protected void inferenceIsPure() {
        Layer layer = build(DType.FLOAT64, 6);
        Tensor x = random(DType.FLOAT64, inputShape().withBatch(BATCH), 7);
        double[][] params = layer.parameters().stream().map(p -> p.value().toDoubleArray()).toArray(double[][]::new);
        double[][] buffers = layer.buffers().stream().map(b -> b.value().toDoubleArray()).toArray(double[][]::new);
        Tensor first = Tensor.zeros(DType.FLOAT64, layer.outputShape().withBatch(BATCH));
        Tensor second = Tensor.zeros(DType.FLOAT64, first.shape());
        layer.forward(x, first, new ContractPassContext(Mode.INFERENCE, DType.FLOAT64, 8, BATCH));
        layer.forward(x, second, new ContractPassContext(Mode.INFERENCE, DType.FLOAT64, 9, BATCH));
        assertThat(second.toDoubleArray()).as("second output").containsExactly(first.toDoubleArray());
        for (int i = 0; i < params.length; i++) {
            assertThat(layer.parameters().get(i).value().toDoubleArray()).as("parameter %s",
                    layer.parameters().get(i).name()).containsExactly(params[i]);
        }
        for (int i = 0; i < buffers.length; i++) {
            assertThat(layer.buffers().get(i).value().toDoubleArray()).as("buffer %s",
                    layer.buffers().get(i).name()).containsExactly(buffers[i]);
        }
    }

    @Test
    @DisplayName("declares parameters and buffers of the network's dtype with distinct names")
    protected void shapesAndNames() {
        Layer layer = build(DType.FLOAT32, 1);
        assertThat(layer.outputShape().size()).isPositive();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Parameter p : layer.parameters()) {
            assertThat(p.value().dtype()).as("dtype of %s", p.name()).isEqualTo(DType.FLOAT32);
            assertThat(names.add(p.name())).as("name %s is unique", p.name()).isTrue();
        }
        for (Buffer b : layer.buffers()) {
            assertThat(b.value().dtype()).as("dtype of %s", b.name()).isEqualTo(DType.FLOAT32);
            assertThat(names.add(b.name())).as("name %s is unique", b.name()).isTrue();
        }
    }

    @Test
    @DisplayName("gives float32 outputs that agree with float64 to float32 precision")
    protected void float32MatchesFloat64() {
        Layer l64 = build(DType.FLOAT64, 9);
        Layer l32 = build(DType.FLOAT32, 9);
        for (int i = 0; i < l64.parameters().size(); i++) {
            l32.parameters().get(i).value().copyFrom(l64.parameters().get(i).value());
            l64.parameters().get(i).value().copyFrom(l32.parameters().get(i).value()); // same rounded start
        }
        Tensor x64 = random(DType.FLOAT64, inputShape().withBatch(4), 10).to(DType.FLOAT32).to(DType.FLOAT64);
        Tensor out64 = Tensor.zeros(DType.FLOAT64, l64.outputShape().withBatch(4));
        Tensor out32 = Tensor.zeros(DType.FLOAT32, out64.shape());
        l64.forward(x64, out64, new ContractPassContext(Mode.INFERENCE, DType.FLOAT64, 11, 4));
        l32.forward(x64.to(DType.FLOAT32), out32, new ContractPassContext(Mode.INFERENCE, DType.FLOAT32, 11, 4));
        for (int i = 0; i < out64.size(); i++) {
            assertThat(Math.abs(out32.get(i) - out64.get(i))).as("output[%d]", i)
                    .isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(out64.get(i))));
        }
    }

    @Test
    @DisplayName("writes every value of its declared output shape, and of the input gradient, in both modes")
    protected void writesEveryValue() {
        Layer layer = build(DType.FLOAT64, 12);
        Tensor x = random(DType.FLOAT64, inputShape().withBatch(BATCH), 13);
        for (Mode mode : Mode.values()) {
            Tensor out = Tensor.zeros(DType.FLOAT64, layer.outputShape().withBatch(BATCH));
            out.fill(Double.NaN); // the engine reuses buffers: a value left unwritten is last step's
            ContractPassContext ctx = new ContractPassContext(mode, DType.FLOAT64, 14, BATCH);
            layer.forward(x, out, ctx);
            assertWritten(out, mode + " output of shape " + out.shape());
            if (mode == Mode.TRAINING) {
                Tensor dx = Tensor.zeros(DType.FLOAT64, x.shape());
                dx.fill(Double.NaN);
                layer.inputGradient(x, out, random(DType.FLOAT64, out.shape(), 15), dx, ctx);
                assertWritten(dx, "input gradient of shape " + dx.shape());
            }
        }
    }

    private static void assertWritten(Tensor t, String what) {
        for (int i = 0; i < t.size(); i++) {
            assertThat(t.get(i)).as("%s: value %d was not written (still the NaN put there)", what, i).isNotNaN();
        }
    }

    @Test
    @DisplayName("predicts the same when rebuilt from its saved parameters and buffers, after training passes")
    protected void restoredStatePredictsTheSame() {
        Layer trained = build(DType.FLOAT64, 16);
        ContractPassContext training = new ContractPassContext(Mode.TRAINING, DType.FLOAT64, 17, BATCH);
        Tensor scratchOut = Tensor.zeros(DType.FLOAT64, trained.outputShape().withBatch(BATCH));
        for (int step = 0; step < 3; step++) { // buffers such as running statistics move in training
            trained.forward(random(DType.FLOAT64, inputShape().withBatch(BATCH), 18 + step), scratchOut, training);
        }
        Layer restored = build(DType.FLOAT64, 21); // other initial values, then the saved state
        for (int i = 0; i < trained.parameters().size(); i++) {
            restored.parameters().get(i).value().copyFrom(trained.parameters().get(i).value());
        }
        assertThat(restored.buffers()).as("buffers of a layer built the same way").hasSameSizeAs(trained.buffers());
        for (int i = 0; i < trained.buffers().size(); i++) {
            restored.buffers().get(i).value().copyFrom(trained.buffers().get(i).value());
        }
        Tensor x = random(DType.FLOAT64, inputShape().withBatch(BATCH), 22);
        Tensor a = Tensor.zeros(DType.FLOAT64, trained.outputShape().withBatch(BATCH));
        Tensor b = Tensor.zeros(DType.FLOAT64, a.shape());
        trained.forward(x, a, new ContractPassContext(Mode.INFERENCE, DType.FLOAT64, 23, BATCH));
        restored.forward(x, b, new ContractPassContext(Mode.INFERENCE, DType.FLOAT64, 23, BATCH));
        assertThat(b.toDoubleArray()).as("the restored layer's inference output").containsExactly(a.toDoubleArray());
    }

    @Test
    @DisplayName("draws random numbers only from the pass's stream: the same stream state gives the same training output")
    protected void drawsOnlyFromThePassStream() {
        Layer a = build(DType.FLOAT64, 24);
        Layer b = build(DType.FLOAT64, 24);
        Tensor x = random(DType.FLOAT64, inputShape().withBatch(BATCH), 25);
        Tensor outA = Tensor.zeros(DType.FLOAT64, a.outputShape().withBatch(BATCH));
        Tensor outB = Tensor.zeros(DType.FLOAT64, outA.shape());
        // An earlier pass on another stream: a layer with a generator of its own has moved it on.
        a.forward(x, outA, new ContractPassContext(Mode.TRAINING, DType.FLOAT64, 99, BATCH));
        a.forward(x, outA, new ContractPassContext(Mode.TRAINING, DType.FLOAT64, 26, BATCH));
        b.forward(x, outB, new ContractPassContext(Mode.TRAINING, DType.FLOAT64, 26, BATCH));
        assertThat(outB.toDoubleArray()).as("training output of a twin layer on a stream in the same state")
                .containsExactly(outA.toDoubleArray());
    }

    /**
     * nn-spark's synchronous training splits a batch over partitions, each of which runs the layer on
     * its rows: the parts must compute what the whole batch's pass does. Random draws must then be
     * per row ({@link PassContext#uniform}), and statistics over the batch taken through
     * {@link PassContext#sumOverBatch} (which, as in nn-spark, may stop a part's pass until the sum
     * is known and then run it again). A layer that trains only on whole batches may override this
     * test away; nn-spark refuses it in synchronous training.
     */
    @Test
    @DisplayName("trains on a batch split in parts as on the whole: outputs, gradients and buffers")
    protected void splitBatchTrainsAsTheWhole() {
        int[][] parts = {{0, 2, 4}, {3, 1}};
        Tensor x = random(DType.FLOAT64, inputShape().withBatch(BATCH), 31);
        Layer whole = build(DType.FLOAT64, 30);
        Tensor r = random(DType.FLOAT64, whole.outputShape().withBatch(BATCH), 32);
        Tensor out = Tensor.zeros(DType.FLOAT64, r.shape());
        Tensor dx = Tensor.zeros(DType.FLOAT64, x.shape());
        ContractPassContext ctx = new ContractPassContext(Mode.TRAINING, DType.FLOAT64, 33, BATCH);
        whole.forward(x, out, ctx);
        whole.parameterGradients(x, r, ctx);
        whole.inputGradient(x, out, r, dx, ctx);

        java.util.List<double[]> known = new java.util.ArrayList<>();
        Layer[] layers = new Layer[parts.length];
        Tensor[] outs = new Tensor[parts.length];
        Tensor[] dxs = new Tensor[parts.length];
        for (int round = 0; ; round++) {
            assertThat(round).as("rounds of whole-batch sums").isLessThan(100);
            double[] pending = null;
            for (int p = 0; p < parts.length; p++) {
                layers[p] = build(DType.FLOAT64, 30); // every round starts from the same parameters and buffers
                Tensor xp = rows(x, parts[p]);
                Tensor rp = rows(r, parts[p]);
                outs[p] = Tensor.zeros(DType.FLOAT64, rp.shape());
                dxs[p] = Tensor.zeros(DType.FLOAT64, xp.shape());
                ContractPassContext part = ContractPassContext.part(33, BATCH, parts[p], known);
                try {
                    layers[p].forward(xp, outs[p], part);
                    layers[p].parameterGradients(xp, rp, part);
                    layers[p].inputGradient(xp, outs[p], rp, dxs[p], part);
                } catch (ContractPassContext.SumNeeded needed) {
                    if (pending == null) {
                        pending = new double[needed.contribution.length];
                    }
                    for (int i = 0; i < pending.length; i++) {
                        pending[i] += needed.contribution[i];
                    }
                }
            }
            if (pending == null) {
                break;
            }
            known.add(pending);
        }
        for (int p = 0; p < parts.length; p++) {
            assertClose("output", rows(out, parts[p]), outs[p]);
            assertClose("input gradient", rows(dx, parts[p]), dxs[p]);
            for (int b = 0; b < whole.buffers().size(); b++) {
                assertClose("buffer " + whole.buffers().get(b).name(), whole.buffers().get(b).value(),
                        layers[p].buffers().get(b).value());
            }
        }
        for (int i = 0; i < whole.parameters().size(); i++) {
            Tensor sum = layers[0].parameters().get(i).gradient().copy();
            for (int p = 1; p < parts.length; p++) {
                Tensor g = layers[p].parameters().get(i).gradient();
                for (int k = 0; k < sum.size(); k++) {
                    sum.set(k, sum.get(k) + g.get(k));
                }
            }
            assertClose("the parts' summed gradient of " + whole.parameters().get(i).name(),
                    whole.parameters().get(i).gradient(), sum);
        }
    }

    /** The rows {@code which} of a batch tensor, in that order. */
    private static Tensor rows(Tensor t, int[] which) {
        int per = t.size() / t.shape().dim(0);
        Tensor out = Tensor.zeros(t.dtype(), t.shape().sample().withBatch(which.length));
        for (int i = 0; i < which.length; i++) {
            for (int k = 0; k < per; k++) {
                out.set(i * per + k, t.get(which[i] * per + k));
            }
        }
        return out;
    }

    /** Within 1e-12 of the largest magnitude expected (a part's sums are added in another order). */
    private static void assertClose(String what, Tensor expected, Tensor actual) {
        double scale = 1e-300;
        for (int i = 0; i < expected.size(); i++) {
            scale = Math.max(scale, Math.abs(expected.get(i)));
        }
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Math.abs(actual.get(i) - expected.get(i)) / Math.max(scale, 1e-12)).as("%s[%d]: %s against %s",
                    what, i, actual.get(i), expected.get(i)).isLessThanOrEqualTo(1e-12);
        }
    }

    @Test
    @DisplayName("is deterministic for a fixed seed")
    protected void deterministic() {
        Layer a = build(DType.FLOAT64, 5);
        Layer b = build(DType.FLOAT64, 5);
        for (int i = 0; i < a.parameters().size(); i++) {
            assertThat(a.parameters().get(i).value().toDoubleArray())
                    .containsExactly(b.parameters().get(i).value().toDoubleArray());
        }
    }
}
