package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Metrics;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.io.data.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Real data: a 784-128-10 ReLU network trained on the first 10,000 Fashion-MNIST training images
 * (Debian package dataset-fashion-mnist) reaches ≥ 80% accuracy on the 10,000 test images. Skips,
 * saying why, when the package is not installed.
 */
@DisplayName("Fashion-MNIST")
class FashionMnistTest {
    static final Path DIR = Path.of(System.getProperty("nnkit.fashionMnist", "/usr/share/datasets/fashion-mnist"));

    @Test
    @DisplayName("784-128-10 on a 10,000-image subset reaches ≥ 80% test accuracy")
    void learnsFashionMnist() throws Exception {
        Needs.installed(Files.isReadable(DIR.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed at " + DIR + ": apt-get install dataset-fashion-mnist "
                        + "(or set -Dnnkit.fashionMnist=DIR) to run this test.");
        Dataset train = Datasets.idxImages(DIR.resolve("train-images-idx3-ubyte.gz"),
                DIR.resolve("train-labels-idx1-ubyte.gz"), 10_000, DType.FLOAT32);
        Dataset test = Datasets.idxImages(DIR.resolve("t10k-images-idx3-ubyte.gz"),
                DIR.resolve("t10k-labels-idx1-ubyte.gz"), 10_000, DType.FLOAT32);
        Trainer t = Trainers.create(new TrainingSpec(
                NetworkSpec.builder(784).stage(PluginSpec.of("dense", "units", 128, "weightInit", "he-uniform"))
                        .activation("relu").dense(10).build(),
                PluginSpec.of("sparse-categorical-cross-entropy-logits"), Reduction.MEAN,
                PluginSpec.of("adam", "learningRate", 1e-3),
                TrainingOptions.defaults().withBatchSize(64).withMaxEpochs(5).withSeed(1)));
        t.fit(train);
        double accuracy = Metrics.accuracy(t.predict(test.features()), test.targets().toDoubleArray());
        System.out.printf("Fashion-MNIST 784-128-10, 10k training images, 5 epochs: test accuracy %.2f%%%n", 100 * accuracy);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.80);
    }
}
