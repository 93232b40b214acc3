package dev.nnkit.core.layers;

import dev.nnkit.api.tensor.Tensor;

/**
 * The reshuffles that turn a convolution into matrix products, laid out as PyTorch's CPU
 * convolution lays them out ("unfold"): patch matrix P [channels·kH·kW × batch·pixels], row (c, ky,
 * kx), column (n, oy, ox), so that Z = W·P is already channel-major and every move is a run of
 * consecutive pixels (a whole output row at stride 1).
 */
final class Im2col {
    private Im2col() {
    }

    /**
     * Writes rows [rowFrom, rowTo) of the patches of channels [c0, c0 + C') of {@code images}
     * [batch, C, H, W] into {@code patches} [C'·taps × batch·outPixels]; padding reads as 0. Row
     * (c, ky, kx) is c·taps + ky·kW + kx.
     */
    static void patches(Tensor images, int c0, Window2d w, Tensor patches, int rowFrom, int rowTo) {
        Object src = Runs.array(images);
        Object dst = Runs.array(patches);
        int batch = images.shape().dim(0);
        int perImage = images.size() / batch;
        int columns = batch * w.outPixels();
        for (int r = rowFrom; r < rowTo; r++) {
            int c = r / w.taps();
            int ky = r % w.taps() / w.kernelW();
            int kx = r % w.kernelW();
            int row = r * columns;
            int xShift = kx * w.dilationW() - w.padLeft();
            int oxFrom = firstInside(xShift, w.strideW());
            int oxTo = Math.max(oxFrom, Math.min(w.outW(), lastInside(xShift, w.strideW(), w.inW()) + 1));
            for (int n = 0; n < batch; n++) {
                int plane = n * perImage + (c0 + c) * w.inPixels();
                for (int oy = 0; oy < w.outH(); oy++) {
                    int at = row + n * w.outPixels() + oy * w.outW();
                    int y = oy * w.strideH() - w.padTop() + ky * w.dilationH();
                    if (y < 0 || y >= w.inH() || oxFrom >= oxTo) {
                        Runs.zero(dst, at, w.outW());
                        continue;
                    }
                    Runs.zero(dst, at, oxFrom);
                    Runs.gather(src, plane + y * w.inW() + oxFrom * w.strideW() + xShift, w.strideW(), dst,
                            at + oxFrom, oxTo - oxFrom);
                    Runs.zero(dst, at + oxTo, w.outW() - oxTo);
                }
            }
        }
    }

    /**
     * The inverse scatter of {@link #patches}, for gradients: adds each patch value onto the input
     * pixel it was read from, for the patch channels [cFrom, cTo) into channels c0 + c of
     * {@code images}, which it zeroes first.
     */
    static void addPatches(Tensor patches, int c0, Window2d w, Tensor images, int cFrom, int cTo) {
        Object src = Runs.array(patches);
        Object dst = Runs.array(images);
        int batch = images.shape().dim(0);
        int perImage = images.size() / batch;
        int columns = batch * w.outPixels();
        for (int c = cFrom; c < cTo; c++) {
            for (int n = 0; n < batch; n++) {
                Runs.zero(dst, n * perImage + (c0 + c) * w.inPixels(), w.inPixels());
            }
            for (int ky = 0; ky < w.kernelH(); ky++) {
                for (int kx = 0; kx < w.kernelW(); kx++) {
                    int row = ((c * w.kernelH() + ky) * w.kernelW() + kx) * columns;
                    int xShift = kx * w.dilationW() - w.padLeft();
                    int oxFrom = firstInside(xShift, w.strideW());
                    int oxTo = Math.min(w.outW(), lastInside(xShift, w.strideW(), w.inW()) + 1);
                    if (oxFrom >= oxTo) {
                        continue;
                    }
                    for (int n = 0; n < batch; n++) {
                        int plane = n * perImage + (c0 + c) * w.inPixels();
                        for (int oy = 0; oy < w.outH(); oy++) {
                            int y = oy * w.strideH() - w.padTop() + ky * w.dilationH();
                            if (y >= 0 && y < w.inH()) {
                                Runs.scatterAdd(src, row + n * w.outPixels() + oy * w.outW() + oxFrom, dst,
                                        plane + y * w.inW() + oxFrom * w.strideW() + xShift, w.strideW(), oxTo - oxFrom);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The first ox with ox·stride + shift ≥ 0. */
    private static int firstInside(int shift, int stride) {
        return shift >= 0 ? 0 : (-shift + stride - 1) / stride;
    }

    /** The last ox with ox·stride + shift &lt; width (negative when there is none). */
    private static int lastInside(int shift, int stride, int width) {
        int room = width - 1 - shift;
        return room < 0 ? -1 : room / stride;
    }

    /**
     * Copies rows [cFrom, cTo) of {@code rows} [C' × batch·pixels] into channels c0 + c of
     * {@code images} [batch, C, pixels], one run of pixels per image and channel, adding
     * {@code bias[c0 + c]} when a bias is given.
     */
    static void rowsToImages(Tensor rows, int c0, int pixels, Tensor bias, Tensor images, int cFrom, int cTo) {
        Object src = Runs.array(rows);
        Object dst = Runs.array(images);
        int batch = images.shape().dim(0);
        int perImage = images.size() / batch;
        for (int c = cFrom; c < cTo; c++) {
            double b = bias == null ? 0 : bias.get(c0 + c);
            for (int n = 0; n < batch; n++) {
                int at = n * perImage + (c0 + c) * pixels;
                System.arraycopy(src, (c * batch + n) * pixels, dst, at, pixels);
                if (bias != null) {
                    Runs.add(dst, at, pixels, b);
                }
            }
        }
    }

    /** The inverse of {@link #rowsToImages}: channels c0 + c of {@code images}, c in [cFrom, cTo), as rows. */
    static void imagesToRows(Tensor images, int c0, int pixels, Tensor rows, int cFrom, int cTo) {
        Object src = Runs.array(images);
        Object dst = Runs.array(rows);
        int batch = images.shape().dim(0);
        int perImage = images.size() / batch;
        for (int c = cFrom; c < cTo; c++) {
            for (int n = 0; n < batch; n++) {
                System.arraycopy(src, n * perImage + (c0 + c) * pixels, dst, (c * batch + n) * pixels, pixels);
            }
        }
    }
}
