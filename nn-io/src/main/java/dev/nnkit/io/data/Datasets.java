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
    private Datasets() {
    }

    /**
     * An image-classification set from an IDX images file [n × h × w] and an IDX labels file [n]:
     * pixels scaled by 1/255 into [0, 1], one class index per row, the first {@code limit} examples.
     * Features keep the images' shape with one channel, [n, 1, h, w] (NCHW, as PyTorch's
     * torchvision gives them); a dense network takes them as they are, viewed as h·w features.
     */
    public static Dataset idxImages(Path images, Path labels, int limit, DType dtype) throws IOException {
        Float32Tensor x = IdxReader.read(images);
        Float32Tensor y = IdxReader.read(labels);
        if (y.shape().rank() != 1) {
            throw new InvalidFileException(labels, "", "labels must have one dimension; got " + y.shape() + ".");
        }
        int n = x.shape().dim(0);
        if (y.shape().dim(0) != n) {
            throw new InvalidFileException(labels, "", "holds " + y.shape().dim(0) + " labels but " + images + " holds "
                    + n + " images; use the matching pair of files.");
        }
        int rows = Math.min(n, limit);
        int cols = x.shape().cols();
        Shape sample = x.shape().rank() == 3 ? Shape.of(1, x.shape().dim(1), x.shape().dim(2))
                : x.shape().rank() == 1 ? Shape.of(1) : x.shape().sample();
        Tensor features;
        if (dtype == DType.FLOAT32) {
            // Scaled in place (or in a copy of the rows kept), not into a second array: Fashion-MNIST's
            // training images are 188 MB as float32, and holding two copies doubled the peak memory.
            float[] data = rows == n ? x.data() : java.util.Arrays.copyOf(x.data(), rows * cols);
            for (int i = 0; i < rows * cols; i++) {
                data[i] = (float) (data[i] / 255.0);
            }
            features = new Float32Tensor(sample.withBatch(rows), data);
        } else {
            features = Tensor.zeros(dtype, sample.withBatch(rows));
            for (int i = 0; i < rows * cols; i++) {
                features.set(i, x.data()[i] / 255.0);
            }
        }
        Tensor targets = Tensor.zeros(dtype, Shape.of(rows, 1));
        for (int i = 0; i < rows; i++) {
            targets.set(i, y.data()[i]);
        }
        return new Dataset(features, targets);
    }
}
