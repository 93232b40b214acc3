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
        Float32Tensor x = read(images, dtype);
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
        return scaled(read(images, dtype), limit, dtype);
    }

    /** The images, divided by 255 as they are read for float32 (not in a second pass over 188 MB). */
    private static Float32Tensor read(Path images, DType dtype) throws IOException {
        return IdxReader.read(images, dtype == DType.FLOAT32 ? 255 : 1);
    }

    /** The first {@code limit} images of {@link #read}'s, scaled by 1/255, in {@code dtype}. */
    private static Tensor scaled(Float32Tensor x, int limit, DType dtype) {
        int n = x.shape().dim(0);
        int rows = Math.min(n, limit);
        int cols = x.shape().cols();
        Shape sample = x.shape().rank() == 3 ? Shape.of(1, x.shape().dim(1), x.shape().dim(2))
                : x.shape().rank() == 1 ? Shape.of(1) : x.shape().sample();
        if (dtype == DType.FLOAT32) {
            float[] data = rows == n ? x.data() : java.util.Arrays.copyOf(x.data(), rows * cols); // one copy at most
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
