package dev.nnkit.core.layers;

import dev.nnkit.api.tensor.Shape;
import java.util.List;

/**
 * Where a sliding window falls on an image, shared by convolution and pooling: output pixel
 * (oy, ox) reads input rows oy·strideH − padTop + ky·dilationH for ky &lt; kernelH (and the same
 * across), positions outside the image being padding. out = ⌊(in + padding on both sides −
 * dilation·(kernel − 1) − 1) / stride⌋ + 1, PyTorch's formula. Immutable. Public (in a package the
 * module does not export) for the explainer, which writes each window's sum out.
 */
public record Window2d(int inH, int inW, int kernelH, int kernelW, int strideH, int strideW, int padTop, int padLeft,
                int dilationH, int dilationW, int outH, int outW) {

    /**
     * The window over an {@code inH × inW} image; {@code padding} is {@code [height, width]} on each
     * side or {@code "same"} (stride 1: total padding dilation·(kernel − 1), the odd one at the
     * bottom and right).
     *
     * @throws IllegalArgumentException naming the sizes when the window leaves no output pixel
     */
    static Window2d of(int inH, int inW, List<Integer> kernel, List<Integer> stride, Object padding,
                       List<Integer> dilation) {
        int kh = kernel.get(0);
        int kw = kernel.get(1);
        int dh = dilation.get(0);
        int dw = dilation.get(1);
        int padTop;
        int padLeft;
        int padH;
        int padW;
        if ("same".equals(padding)) {
            padH = dh * (kh - 1);
            padW = dw * (kw - 1);
            padTop = padH / 2;
            padLeft = padW / 2;
        } else {
            List<?> p = (List<?>) padding;
            padTop = (Integer) p.get(0);
            padLeft = (Integer) p.get(1);
            padH = 2 * padTop;
            padW = 2 * padLeft;
        }
        long spanH = (long) dh * (kh - 1) + 1;
        long spanW = (long) dw * (kw - 1) + 1;
        if (spanH > inH + padH || spanW > inW + padW) {
            throw new IllegalArgumentException("a " + kh + "×" + kw + " window" + (dh > 1 || dw > 1 ? " (dilated to "
                    + spanH + "×" + spanW + ")" : "") + " is larger than the " + (padH + padW > 0 ? "padded " : "")
                    + "image, " + (inH + padH) + "×" + (inW + padW) + ": use a smaller kernel, more padding, or"
                    + " fewer pooling stages before this one.");
        }
        int outH = (int) ((inH + padH - spanH) / stride.get(0) + 1);
        int outW = (int) ((inW + padW - spanW) / stride.get(1) + 1);
        return new Window2d(inH, inW, kh, kw, stride.get(0), stride.get(1), padTop, padLeft, dh, dw, outH, outW);
    }

    /**
     * The window a {@code conv2d}, {@code max-pool2d} or {@code avg-pool2d} config places on samples
     * of shape {@code input} [C, H, W].
     */
    public static Window2d of(Record config, Shape input) {
        requireImages(input, "a windowed layer");
        if (config instanceof dev.nnkit.core.config.Conv2dConfig c) {
            return of(input.dim(1), input.dim(2), c.kernel(), c.stride(), c.padding(), c.dilation());
        }
        if (config instanceof dev.nnkit.core.config.MaxPool2dConfig c) {
            return of(input.dim(1), input.dim(2), c.kernel(), c.stride(), c.padding(), List.of(1, 1));
        }
        if (config instanceof dev.nnkit.core.config.AvgPool2dConfig c) {
            return of(input.dim(1), input.dim(2), c.kernel(), c.stride(), c.padding(), List.of(1, 1));
        }
        throw new IllegalArgumentException("no window in " + config);
    }

    /** The image size of a per-sample shape [C, H, W], refusing other ranks with the fix. */
    static void requireImages(Shape input, String layer) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(layer + " takes images, samples of shape [channels, height, width],"
                    + " not " + input + (input.rank() == 1 ? ": give the data an image shape (IDX images have one),"
                    + " or remove the flatten before it." : "."));
        }
    }

    /** Taps per window. */
    int taps() {
        return kernelH * kernelW;
    }

    /** Output pixels per channel. */
    int outPixels() {
        return outH * outW;
    }

    /** Input pixels per channel. */
    int inPixels() {
        return inH * inW;
    }
}
