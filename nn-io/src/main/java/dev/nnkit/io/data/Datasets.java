package dev.nnkit.io.data;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.idx.IdxReader;
import java.io.IOException;
import java.nio.file.Path;

/** Loaders that turn files into in-memory {@link Dataset}s. */
public final class Datasets {
    /**
     * The most classes IDX labels may define (ImageNet-21k has 21,841): a label of 2·10⁹ is a
     * corrupt file, not a request for two billion class names.
     */
    public static final int MAX_CLASSES = 100_000;

    private Datasets() {
    }

    /**
     * An image-classification set from an IDX images file [n × h × w] and an IDX labels file [n]:
     * pixels scaled by 1/255 into [0, 1], one class index per row, the first {@code limit} examples.
     * Features keep the images' shape with one channel, [n, 1, h, w] (NCHW, as PyTorch's
     * torchvision gives them); a dense network takes them as they are, viewed as h·w features.
     * Every label must be a whole number from 0 to {@link #MAX_CLASSES} − 1.
     */
    public static Dataset idxImages(Path images, Path labels, int limit, DType dtype) throws IOException {
        Float32Tensor y = idxLabels(labels);
        float[] l = y.data();
        Float32Tensor x = IdxReader.read(images);
        if (y.shape().dim(0) != x.shape().dim(0)) {
            throw new InvalidFileException(labels, "", "holds " + y.shape().dim(0) + " labels but " + images + " holds "
                    + x.shape().dim(0) + " images; use the matching pair of files.");
        }
        Tensor features = scaled(x, limit, dtype);
        int n = features.shape().dim(0);
        Tensor targets = Tensor.zeros(dtype, Shape.of(n, 1));
        for (int i = 0; i < n; i++) {
            targets.set(i, l[i]);
        }
        return new Dataset(features, targets);
    }

    /**
     * An IDX labels file [n], every label checked to be a class index: a whole number from 0 to
     * {@link #MAX_CLASSES} − 1 (so -1, 0.5 and 2·10⁹ are refused, naming the item).
     */
    public static Float32Tensor idxLabels(Path labels) throws IOException {
        Float32Tensor y = IdxReader.read(labels);
        if (y.shape().rank() != 1) {
            throw new InvalidFileException(labels, "", "labels must have one dimension; got " + y.shape() + ".");
        }
        float[] l = y.data();
        for (int i = 0; i < l.length; i++) {
            if (l[i] != Math.rint(l[i]) || l[i] < 0 || l[i] >= MAX_CLASSES) {
                throw new InvalidFileException(labels, "item " + i, "the label " + label(l[i]) + " is not a class index; "
                        + "labels are whole numbers from 0 to " + (MAX_CLASSES - 1) + " (0 to K − 1 for K classes).");
            }
        }
        return y;
    }

    /**
     * The images of an IDX file [n × h × w] without labels (for prediction), scaled by 1/255, the
     * first {@code limit} of them, as [n, 1, h, w].
     */
    public static Tensor idxFeatures(Path images, int limit, DType dtype) throws IOException {
        return scaled(IdxReader.read(images), limit, dtype);
    }

    /** b / 255 for every byte value b, rounded to float32 as the division would be. */
    private static final float[] SCALED_BYTES = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            SCALED_BYTES[b] = (float) (b / 255.0);
        }
    }

    private static Tensor scaled(Float32Tensor x, int limit, DType dtype) {
        int n = x.shape().dim(0);
        int rows = Math.min(n, limit);
        int cols = x.shape().cols();
        Shape sample = x.shape().rank() == 3 ? Shape.of(1, x.shape().dim(1), x.shape().dim(2))
                : x.shape().rank() == 1 ? Shape.of(1) : x.shape().sample();
        if (dtype == DType.FLOAT32) {
            // Scaled in place (or in a copy of the rows kept), not into a second array: Fashion-MNIST's
            // training images are 188 MB as float32, and holding two copies doubled the peak memory.
            float[] data = rows == n ? x.data() : java.util.Arrays.copyOf(x.data(), rows * cols);
            // Pixels of a ubyte file are whole numbers 0..255: their 256 scaled values are computed
            // once and looked up (a division per value took 0.45 s on Fashion-MNIST's 47 million
            // pixels). Any other value is divided, so every result is bit for bit the division's.
            for (int i = 0; i < rows * cols; i++) {
                float v = data[i];
                int b = (int) v;
                data[i] = (b & ~0xFF) == 0 && Float.floatToRawIntBits(v) == Float.floatToRawIntBits(b)
                        ? SCALED_BYTES[b] : (float) (v / 255.0);
            }
            return new Float32Tensor(sample.withBatch(rows), data);
        }
        Tensor features = Tensor.zeros(dtype, sample.withBatch(rows));
        for (int i = 0; i < rows * cols; i++) {
            features.set(i, x.data()[i] / 255.0);
        }
        return features;
    }

    private static String label(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
