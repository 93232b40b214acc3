package dev.nnkit.bench;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import java.util.SplittableRandom;

/** The networks the benchmarks and the side-by-side script train. */
final class Nets {
    private Nets() {
    }

    /** 784-256-128-10 ReLU, softmax cross-entropy from logits, Adam 1e-3 (the Fashion-MNIST benchmark). */
    static Trainer mlp() {
        return mlp(1);
    }

    /** The MLP, to train for {@code epochs} epochs. */
    static Trainer mlp(int epochs) {
        return mlp(epochs, 1);
    }

    /** The MLP, to train for {@code epochs} epochs from {@code seed} (initial weights and batch order). */
    static Trainer mlp(int epochs, long seed) {
        return Trainers.create(new TrainingSpec(NetworkSpec.builder(784)
                .stage(PluginSpec.of("dense", "units", 256, "weightInit", "he-uniform")).activation("relu")
                .stage(PluginSpec.of("dense", "units", 128, "weightInit", "he-uniform")).activation("relu")
                .dense(10).build(), PluginSpec.of("sparse-categorical-cross-entropy-logits"), Reduction.MEAN,
                PluginSpec.of("adam", "learningRate", 1e-3), TrainingOptions.defaults().withBatchSize(128).withMaxEpochs(epochs).withSeed(seed)));
    }

    /**
     * The CNN of examples/fashion-mnist-cnn.json on [1, 28, 28] images: conv 16 → batch norm →
     * ReLU → max-pool → conv 32 → ReLU → max-pool → flatten → dense 128 → ReLU → dropout 0.3 →
     * dense 10, Adam 1e-3 at batch 128.
     */
    static Trainer cnn(int epochs, long seed) {
        return Trainers.create(new TrainingSpec(NetworkSpec.builder(dev.nnkit.api.tensor.Shape.of(1, 28, 28))
                .stage(PluginSpec.of("conv2d", "filters", 16, "kernel", 3, "padding", 1))
                .stage(PluginSpec.of("batch-norm")).activation("relu").stage(PluginSpec.of("max-pool2d", "kernel", 2))
                .stage(PluginSpec.of("conv2d", "filters", 32, "kernel", 3, "padding", 1)).activation("relu")
                .stage(PluginSpec.of("max-pool2d", "kernel", 2)).stage(PluginSpec.of("flatten"))
                .stage(PluginSpec.of("dense", "units", 128, "weightInit", "he-uniform")).activation("relu")
                .stage(PluginSpec.of("dropout", "p", 0.3)).dense(10).build(),
                PluginSpec.of("sparse-categorical-cross-entropy-logits"), Reduction.MEAN,
                PluginSpec.of("adam", "learningRate", 1e-3),
                TrainingOptions.defaults().withBatchSize(128).withMaxEpochs(epochs).withSeed(seed)));
    }

    /**
     * {@code 784-hidden…-10} with ReLU, He-uniform hidden layers, softmax cross-entropy from logits
     * and Adam 1e-3 at {@code batch} (the training sweep; the MLP is hidden = 256, 128).
     */
    static Trainer sweep(int[] hidden, int batch, DType dtype, int epochs) {
        NetworkSpec.Builder net = NetworkSpec.builder(784).dtype(dtype);
        for (int units : hidden) {
            net.stage(PluginSpec.of("dense", "units", units, "weightInit", "he-uniform")).activation("relu");
        }
        return Trainers.create(new TrainingSpec(net.dense(10).build(), PluginSpec.of("sparse-categorical-cross-entropy-logits"),
                Reduction.MEAN, PluginSpec.of("adam", "learningRate", 1e-3),
                TrainingOptions.defaults().withBatchSize(batch).withMaxEpochs(epochs).withSeed(1)));
    }

    /** Seed 000's 2-4-3-1 sigmoid network with binary cross-entropy and SGD. */
    static Trainer tiny() {
        return Trainers.create(new TrainingSpec(NetworkSpec.builder(2).dense(4).activation("sigmoid").dense(3)
                .activation("sigmoid").dense(1).activation("sigmoid").build(), PluginSpec.of("binary-cross-entropy"),
                Reduction.MEAN, PluginSpec.of("sgd", "learningRate", 0.5), TrainingOptions.defaults()));
    }

    static Tensor random(int rows, int cols, long seed) {
        return random(Shape.of(rows, cols), seed);
    }

    /** Float32 values uniform in [0, 1) (as pixels scaled to [0, 1]). */
    static Tensor random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble());
        }
        return t;
    }

    static Tensor classes(int rows, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(DType.FLOAT32, Shape.of(rows, 1));
        for (int i = 0; i < rows; i++) {
            t.set(i, r.nextInt(k));
        }
        return t;
    }
}
