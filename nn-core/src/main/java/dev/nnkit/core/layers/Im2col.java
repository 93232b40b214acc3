package dev.nnkit.core.layers;

import dev.nnkit.api.tensor.Tensor;

/**
 * The reshuffles that turn a convolution into the dense layer's matrix products: each output
 * pixel's window becomes a row of patch values ("im2col"), and a [batch·pixels × channels] matrix
 * of rows goes to and from [batch, channels, pixels] images.
 */
final class Im2col {
    private Im2col() {
    }

    /**
     * Writes the patches of channels [c0, c0 + channels) of every image in {@code images}
     * [batch, C, H, W] into {@code patches} [batch·outPixels × channels·taps]: row (n, oy, ox),
     * column (c, ky, kx); padding reads as 0.
     */
    static void patches(Tensor images, int c0, int channels, Window2d w, Tensor patches) {
        int inPixels = w.inPixels();
        int perImage = images.size() / images.shape().dim(0);
        int cols = channels * w.taps();
        int batch = images.shape().dim(0);
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int src = n * perImage + (c0 + c) * inPixels;
                for (int ky = 0; ky < w.kernelH(); ky++) {
                    for (int kx = 0; kx < w.kernelW(); kx++) {
                        int col = (c * w.kernelH() + ky) * w.kernelW() + kx;
                        for (int oy = 0; oy < w.outH(); oy++) {
                            int y = oy * w.strideH() - w.padTop() + ky * w.dilationH();
                            int row = (n * w.outH() + oy) * w.outW();
                            for (int ox = 0; ox < w.outW(); ox++) {
                                int x = ox * w.strideW() - w.padLeft() + kx * w.dilationW();
                                boolean inside = y >= 0 && y < w.inH() && x >= 0 && x < w.inW();
                                patches.set((row + ox) * cols + col, inside ? images.get(src + y * w.inW() + x) : 0);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The inverse scatter of {@link #patches} for gradients: adds each patch value back onto the
     * input pixel it was read from, into channels [c0, c0 + channels) of {@code images}, which the
     * caller has zeroed.
     */
    static void addPatches(Tensor patches, int c0, int channels, Window2d w, Tensor images) {
        int inPixels = w.inPixels();
        int perImage = images.size() / images.shape().dim(0);
        int cols = channels * w.taps();
        int batch = images.shape().dim(0);
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int dst = n * perImage + (c0 + c) * inPixels;
                for (int ky = 0; ky < w.kernelH(); ky++) {
                    for (int kx = 0; kx < w.kernelW(); kx++) {
                        int col = (c * w.kernelH() + ky) * w.kernelW() + kx;
                        for (int oy = 0; oy < w.outH(); oy++) {
                            int y = oy * w.strideH() - w.padTop() + ky * w.dilationH();
                            if (y < 0 || y >= w.inH()) {
                                continue;
                            }
                            int row = (n * w.outH() + oy) * w.outW();
                            for (int ox = 0; ox < w.outW(); ox++) {
                                int x = ox * w.strideW() - w.padLeft() + kx * w.dilationW();
                                if (x >= 0 && x < w.inW()) {
                                    int at = dst + y * w.inW() + x;
                                    images.set(at, images.get(at) + patches.get((row + ox) * cols + col));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Copies {@code rows} [batch·pixels × channels] into channels [c0, c0 + channels) of
     * {@code images} [batch, C, pixels].
     */
    static void rowsToImages(Tensor rows, int c0, int channels, int pixels, Tensor images) {
        int perImage = images.size() / images.shape().dim(0);
        int batch = images.shape().dim(0);
        for (int n = 0; n < batch; n++) {
            for (int p = 0; p < pixels; p++) {
                int from = (n * pixels + p) * channels;
                for (int c = 0; c < channels; c++) {
                    images.set(n * perImage + (c0 + c) * pixels + p, rows.get(from + c));
                }
            }
        }
    }

    /** The inverse of {@link #rowsToImages}: channels [c0, c0 + channels) of {@code images} as rows. */
    static void imagesToRows(Tensor images, int c0, int channels, int pixels, Tensor rows) {
        int perImage = images.size() / images.shape().dim(0);
        int batch = images.shape().dim(0);
        for (int n = 0; n < batch; n++) {
            for (int p = 0; p < pixels; p++) {
                int to = (n * pixels + p) * channels;
                for (int c = 0; c < channels; c++) {
                    rows.set(to + c, images.get(n * perImage + (c0 + c) * pixels + p));
                }
            }
        }
    }
}
