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

    Conv2dLayer(Window2d window, int channels, int groups, Parameter weight, Parameter bias, boolean hasBias) {
        this.window = window;
        this.channels = channels;
        this.groups = groups;
        this.weight = weight;
        this.bias = bias;
        this.hasBias = hasBias;
        this.outputShape = Shape.of(filters(), window.outH(), window.outW());
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

    @Override
    public void forward(Tensor input, Tensor output, PassContext context) {
        int columns = input.shape().dim(0) * window.outPixels();
        int cg = channels / groups;
        int fg = filters() / groups;
        Tensor patches = context.scratch("patches", Shape.of(cg * window.taps(), columns));
        Tensor z = context.scratch("rows", Shape.of(fg, columns));
        for (int g = 0; g < groups; g++) {
            Im2col.patches(input, g * cg, cg, window, patches);
            backend.multiply(groupSlice(weight.value(), g, context, "w"), patches, z);
            if (hasBias) {
                Object za = Runs.array(z);
                for (int f = 0; f < fg; f++) {
                    Runs.add(za, f * columns, columns, bias.value().get(g * fg + f));
                }
            }
            Im2col.rowsToImages(z, g * fg, fg, window.outPixels(), output);
        }
    }

    @Override
    public void parameterGradients(Tensor input, Tensor outputGradient, PassContext context) {
        int columns = input.shape().dim(0) * window.outPixels();
        int cg = channels / groups;
        int fg = filters() / groups;
        Tensor patches = context.scratch("patches", Shape.of(cg * window.taps(), columns));
        Tensor delta = context.scratch("rows", Shape.of(fg, columns));
        Tensor dw = groups == 1 ? weight.gradient() : context.scratch("dw", Shape.of(fg, cg * window.taps()));
        for (int g = 0; g < groups; g++) {
            if (groups > 1) { // forward left the last group's patches; the others are read again
                Im2col.patches(input, g * cg, cg, window, patches);
            }
            Im2col.imagesToRows(outputGradient, g * fg, fg, window.outPixels(), delta);
            backend.multiplyByTransposed(delta, patches, bias.value(), false, dw);
            if (groups > 1) {
                copyInto(dw, weight.gradient(), g * dw.size());
            }
            if (hasBias) {
                Object da = Runs.array(delta);
                for (int f = 0; f < fg; f++) {
                    bias.gradient().set(g * fg + f, Runs.sum(da, f * columns, columns));
                }
            }
        }
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        int columns = input.shape().dim(0) * window.outPixels();
        int cg = channels / groups;
        int fg = filters() / groups;
        Tensor delta = context.scratch("rows", Shape.of(fg, columns));
        // Its own scratch, not the patches': parameterGradients may still read those.
        Tensor patchGradient = context.scratch("patchGradient", Shape.of(cg * window.taps(), columns));
        inputGradient.fill(0);
        for (int g = 0; g < groups; g++) {
            Im2col.imagesToRows(outputGradient, g * fg, fg, window.outPixels(), delta);
            backend.transposedMultiply(groupSlice(weight.value(), g, context, "w"), delta, patchGradient,
                    bias.gradient(), false);
            Im2col.addPatches(patchGradient, g * cg, cg, window, inputGradient);
        }
    }

    /** Group g's rows of a weight or bias: the tensor itself when there is one group, else a copy in scratch. */
    private Tensor groupSlice(Tensor whole, int g, PassContext context, String name) {
        if (groups == 1) {
            return whole;
        }
        int rows = whole.shape().dim(0) / groups;
        int per = whole.size() / groups;
        Tensor slice = context.scratch(name, whole.shape().rank() == 1 ? Shape.of(rows) : Shape.of(rows, per / rows));
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
