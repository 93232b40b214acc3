package dev.nnkit.core.layers;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.ComputeBackend;
import java.util.List;

/**
 * A 2-D convolution, PyTorch's {@code nn.Conv2d}: weight [F, C/groups, kH, kW], bias [F].
 * <pre>
 *   z[n, f, oy, ox] = b[f] + Σ_{c in f's group, ky, kx} W[f, c, ky, kx] · x[n, c, oy·s − p + ky·d, ox·s − p + kx·d]
 * </pre>
 * As PyTorch's CPU convolution: each output pixel's window of inputs is a column of a patch
 * matrix P [C·kH·kW × batch·pixels] (one per group), and then Z = W·P + b, ∂L/∂W = δ·Pᵀ,
 * ∂L/∂b = Σ δ over the pixels, ∂L/∂P = Wᵀ·δ, the last added back onto the pixels it was read from.
 * A float32 convolution at stride 1 with one group is computed directly instead, with no patch
 * matrix ({@link DirectConvolution}).
 */
final class Conv2dLayer implements Layer {
    private final Window2d window;
    private final int channels;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias; // kept (zero, unused) when hasBias is false so the products take one path
    private final boolean hasBias;
    private final Shape outputShape;
    private final ComputeBackend backend = ComputeBackend.get();
    /** Scratch shapes of the last batch size, made once per size (a Shape per call would be garbage every step). */
    private ScratchShapes scratchShapes;
    /** A group's weights and gradient [F/groups, C/groups·kH·kW] and bias [F/groups], when there are groups. */
    private final Shape groupWeightShape;
    private final Shape groupBiasShape;
    /** ∂L/∂Wᵀ of a group, [C/groups·kH·kW × F/groups]: see {@link #weightGradient}. */
    private final Shape transposedWeightShape;

    /** The direct way, when it suits this convolution ({@link DirectConvolution#suits}); else null. */
    private final DirectConvolution direct;

    /** The batch-sized scratch shapes; immutable, so a racing reader sees whole values. */
    private record ScratchShapes(int batch, Shape patches, Shape rows) {
    }

    Conv2dLayer(Window2d window, int channels, int groups, Parameter weight, Parameter bias, boolean hasBias) {
        this.window = window;
        this.channels = channels;
        this.groups = groups;
        this.weight = weight;
        this.bias = bias;
        this.hasBias = hasBias;
        this.outputShape = Shape.of(filters(), window.outH(), window.outW());
        this.groupWeightShape = Shape.of(filters() / groups, channels / groups * window.taps());
        this.groupBiasShape = Shape.of(filters() / groups);
        this.transposedWeightShape = Shape.of(channels / groups * window.taps(), filters() / groups);
        this.direct = DirectConvolution.suits(weight.value().dtype(), window, groups)
                ? new DirectConvolution(window, channels, weight, bias, hasBias) : null;
    }

    private int filters() {
        return weight.value().shape().dim(0);
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public List<Parameter> parameters() {
        return hasBias ? List.of(weight, bias) : List.of(weight);
    }

    /** What a {@link Pass} does with its share of rows or channels. */
    private enum Op { PATCHES, ADD_PATCHES, TO_IMAGES, TO_ROWS, BIAS_SUMS }

    /** The reshuffles of one call, split across threads by row or channel; one per calling thread. */
    private final ThreadLocal<Pass> passes = PlaneTask.local(Pass::new);

    private final class Pass extends PlaneTask {
        Op op;
        int group;
        Tensor images;
        Tensor matrix;
        Tensor bias;

        @Override
        void planes(int part, int from, int to) {
            int cg = channels / groups;
            int fg = filters() / groups;
            switch (op) {
                case PATCHES -> Im2col.patches(images, group * cg, window, matrix, from, to);
                case ADD_PATCHES -> Im2col.addPatches(matrix, group * cg, window, images, from, to);
                case TO_IMAGES -> Im2col.rowsToImages(matrix, group * fg, window.outPixels(), bias, images, from, to);
                case TO_ROWS -> Im2col.imagesToRows(images, group * fg, window.outPixels(), matrix, from, to);
                case BIAS_SUMS -> {
                    Object delta = Runs.array(matrix);
                    int columns = matrix.shape().dim(1);
                    for (int f = from; f < to; f++) {
                        bias.set(group * fg + f, Runs.sum(delta, f * columns, columns));
                    }
                }
            }
        }

        @Override
        void clear() {
            images = matrix = bias = null;
        }

        /** Runs {@code op} for group g over {@code count} rows or channels of {@code matrix}'s size. */
        void run(Op op, int g, Tensor images, Tensor matrix, Tensor bias, int count) {
            this.op = op;
            this.group = g;
            this.images = images;
            this.matrix = matrix;
            this.bias = bias;
            run(count, matrix.size());
        }
    }

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        if (direct != null) {
            direct.forward(input, output, context);
            return;
        }
        Tensor patches = context.scratch("patches", shapes(input).patches());
        Tensor z = context.scratch("rows", shapes(input).rows());
        Pass pass = passes.get();
        for (int g = 0; g < groups; g++) {
            pass.run(Op.PATCHES, g, input, patches, null, patches.shape().dim(0));
            backend.multiply(groupSlice(weight.value(), g, context, "w"), patches, z);
            pass.run(Op.TO_IMAGES, g, output, z, hasBias ? bias.value() : null, z.shape().dim(0));
        }
    }

    @Override
    public void parameterGradients(Tensor input, Tensor outputGradient, PassContext context) {
        if (direct != null) {
            direct.parameterGradients(input, outputGradient, context);
            return;
        }
        Tensor patches = context.scratch("patches", shapes(input).patches());
        Tensor delta = context.scratch("rows", shapes(input).rows());
        Tensor dw = groups == 1 ? weight.gradient() : context.scratch("dw", groupWeightShape);
        Pass pass = passes.get();
        for (int g = 0; g < groups; g++) {
            if (groups > 1) { // forward left the last group's patches; the others are read again
                pass.run(Op.PATCHES, g, input, patches, null, patches.shape().dim(0));
            }
            pass.run(Op.TO_ROWS, g, outputGradient, delta, null, delta.shape().dim(0));
            weightGradient(delta, patches, dw, context);
            if (groups > 1) {
                copyInto(dw, weight.gradient(), g * dw.size());
            }
            if (hasBias) {
                pass.run(Op.BIAS_SUMS, g, null, delta, bias.gradient(), delta.shape().dim(0));
            }
        }
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        if (direct != null) {
            direct.inputGradient(outputGradient, inputGradient, context);
            return;
        }
        Tensor delta = context.scratch("rows", shapes(input).rows());
        // Its own scratch, not the patches': parameterGradients may still read those.
        Tensor patchGradient = context.scratch("patchGradient", shapes(input).patches());
        Pass pass = passes.get();
        for (int g = 0; g < groups; g++) {
            pass.run(Op.TO_ROWS, g, outputGradient, delta, null, delta.shape().dim(0));
            backend.transposedMultiply(groupSlice(weight.value(), g, context, "w"), delta, patchGradient,
                    bias.gradient(), false);
            pass.run(Op.ADD_PATCHES, g, inputGradient, patchGradient, null, channels / groups);
        }
    }

    /**
     * ∂L/∂W = δ·Pᵀ, summed over the batch's pixels. A product packs its second operand, so the
     * smaller of δ [F × pixels] and P [C·kH·kW × pixels] goes second: when P has more rows,
     * ∂L/∂Wᵀ = P·δᵀ is computed and transposed (each element is the same sum of the same products
     * in the same order either way, so the same bits).
     */
    private void weightGradient(Tensor delta, Tensor patches, Tensor dw, PassContext context) {
        int f = delta.shape().dim(0);
        int k = patches.shape().dim(0);
        if (k <= f) {
            backend.multiplyByTransposed(delta, patches, bias.value(), false, dw);
            return;
        }
        Tensor dwt = context.scratch("dwT", transposedWeightShape);
        backend.multiplyByTransposed(patches, delta, bias.value(), false, dwt);
        Object from = Runs.array(dwt);
        Object to = Runs.array(dw);
        for (int r = 0; r < f; r++) {
            Runs.gather(from, r, f, to, r * k, k);
        }
    }

    private ScratchShapes shapes(Tensor input) {
        int batch = input.shape().dim(0);
        ScratchShapes s = scratchShapes;
        if (s == null || s.batch() != batch) {
            int columns = batch * window.outPixels();
            s = new ScratchShapes(batch, Shape.of(channels / groups * window.taps(), columns),
                    Shape.of(filters() / groups, columns));
            scratchShapes = s;
        }
        return s;
    }

    /** Group g's rows of a weight or bias: the tensor itself when there is one group, else a copy in scratch. */
    private Tensor groupSlice(Tensor whole, int g, PassContext context, String name) {
        if (groups == 1) {
            return whole;
        }
        int per = whole.size() / groups;
        Tensor slice = context.scratch(name, whole.shape().rank() == 1 ? groupBiasShape : groupWeightShape);
        for (int i = 0; i < per; i++) {
            slice.set(i, whole.get(g * per + i));
        }
        return slice;
    }

    private static void copyInto(Tensor part, Tensor whole, int offset) {
        for (int i = 0; i < part.size(); i++) {
            whole.set(offset + i, part.get(i));
        }
    }
}
