package dev.nnkit.bench;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.io.data.Datasets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Fashion-MNIST's IDX files read as {@code nn train} reads them, in a fresh JVM ({@code IdxLoad
 * DATA_DIR}): the training images and labels, then the test set, into float32 pixels scaled by
 * 1/255. Prints, as JSON, the milliseconds of each ({@code bench/idx-load.sh} runs it in fresh
 * JVMs beside PyTorch's reading and takes medians).
 */
public final class IdxLoad {
    private IdxLoad() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long start = System.nanoTime();
        Dataset train = Datasets.idxImages(dir.resolve("train-images-idx3-ubyte.gz"),
                dir.resolve("train-labels-idx1-ubyte.gz"), Integer.MAX_VALUE, DType.FLOAT32);
        long trained = System.nanoTime();
        Dataset test = Datasets.idxImages(dir.resolve("t10k-images-idx3-ubyte.gz"),
                dir.resolve("t10k-labels-idx1-ubyte.gz"), Integer.MAX_VALUE, DType.FLOAT32);
        long tested = System.nanoTime();
        System.out.printf(Locale.ROOT, "{\"trainMs\": %.1f, \"testMs\": %.1f, \"totalMs\": %.1f, \"images\": %d}%n",
                (trained - start) / 1e6, (tested - trained) / 1e6, (tested - start) / 1e6, train.size() + test.size());
    }
}
