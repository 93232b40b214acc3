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
 * Each output pixel's window of inputs is a row of a patch matrix X̃ [batch·pixels × C·kH·kW]
 * (one per group), and the layer is then the dense layer on those rows: Z̃ = X̃·Wᵀ + b,
 * ∂L/∂W = δ̃ᵀ·X̃, ∂L/∂b = Σ δ̃, ∂L/∂X̃ = δ̃·W, the last scattered back onto the pixels it read.
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
        int batch = input.shape().dim(0);
        int cg = channels / groups;
        int fg = filters() / groups;
        int rows = batch * window.outPixels();
        Tensor patches = context.scratch("patches", Shape.of(rows, cg * window.taps()));
        Tensor z = context.scratch("rows", Shape.of(rows, fg));
        for (int g = 0; g < groups; g++) {
            Im2col.patches(input, g * cg, cg, window, patches);
            backend.multiplyByTransposed(patches, groupSlice(weight.value(), g, context, "w"),
                    groupSlice(bias.value(), g, context, "b"), hasBias, z);
            Im2col.rowsToImages(z, g * fg, fg, window.outPixels(), output);
        }
    }

    @Override
    public void parameterGradients(Tensor input, Tensor outputGradient, PassContext context) {
        int batch = input.shape().dim(0);
        int cg = channels / groups;
        int fg = filters() / groups;
        int rows = batch * window.outPixels();
        Tensor patches = context.scratch("patches", Shape.of(rows, cg * window.taps()));
        Tensor delta = context.scratch("rows", Shape.of(rows, fg));
        Tensor dw = groups == 1 ? weight.gradient() : context.scratch("dw", Shape.of(fg, cg * window.taps()));
        Tensor db = groups == 1 ? bias.gradient() : context.scratch("db", Shape.of(fg));
        for (int g = 0; g < groups; g++) {
            if (groups > 1) { // forward left the last group's patches; the others are read again
                Im2col.patches(input, g * cg, cg, window, patches);
            }
            Im2col.imagesToRows(outputGradient, g * fg, fg, window.outPixels(), delta);
            backend.transposedMultiply(delta, patches, dw, db, hasBias);
            if (groups > 1) {
                copyInto(dw, weight.gradient(), g * dw.size());
                copyInto(db, bias.gradient(), g * fg);
            }
        }
    }

    @Override
    public void inputGradient(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient,
                              PassContext context) {
        int batch = input.shape().dim(0);
        int cg = channels / groups;
        int fg = filters() / groups;
        int rows = batch * window.outPixels();
        Tensor delta = context.scratch("rows", Shape.of(rows, fg));
        Tensor patchGradient = context.scratch("patches", Shape.of(rows, cg * window.taps()));
        inputGradient.fill(0);
        for (int g = 0; g < groups; g++) {
            Im2col.imagesToRows(outputGradient, g * fg, fg, window.outPixels(), delta);
            backend.multiply(delta, groupSlice(weight.value(), g, context, "w"), patchGradient);
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
