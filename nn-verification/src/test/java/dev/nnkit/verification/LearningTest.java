package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Metrics;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingResult;
import dev.nnkit.core.train.TrainingSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Networks learn: XOR, and the seeds' three task types (seed 000's table) on seeded synthetic data,
 * each scored on held-out data generated with another seed. Trainers are wired by the real Guice
 * injector from a spec that names every plugin by id.
 */
@DisplayName("Learning")
class LearningTest {

    static Trainer trainer(NetworkSpec net, String loss, PluginSpec optimizer, TrainingOptions options) {
        return Trainers.create(new TrainingSpec(net, PluginSpec.of(loss), Reduction.MEAN, optimizer, options));
    }

    @Test
    @DisplayName("XOR: a 2-4-1 tanh/sigmoid network classifies all four points")
    void xor() {
        Dataset xor = new Dataset(Tensor.matrix(DType.FLOAT32, new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}),
                Tensor.matrix(DType.FLOAT32, new double[][] {{0}, {1}, {1}, {0}}));
        Trainer t = trainer(NetworkSpec.builder(2).dense(4).activation("tanh").dense(1).activation("sigmoid").build(),
                "binary-cross-entropy", PluginSpec.of("adam", "learningRate", 0.05),
                TrainingOptions.defaults().withBatchSize(4).withMaxEpochs(2000).withLossThreshold(0.01).withSeed(7));
        TrainingResult r = t.fit(xor);
        assertThat(r.finalLoss()).isLessThan(0.01);
        assertThat(Metrics.accuracy(t.predict(xor.features()), new double[] {0, 1, 1, 0})).isEqualTo(1.0);
    }

    @Test
    @DisplayName("regression (linear output, MSE): R² ≥ 0.95 on held-out points of y = sin 2x₁ + ½x₂²")
    void regression() {
        Trainer t = trainer(NetworkSpec.builder(2).dense(32).activation("tanh").dense(32).activation("tanh").dense(1)
                        .activation("identity").build(), "mse", PluginSpec.of("adam", "learningRate", 0.01),
                TrainingOptions.defaults().withBatchSize(32).withMaxEpochs(300));
        t.fit(SyntheticData.waves(1024, 1));
        Dataset test = SyntheticData.waves(512, 2);
        double[] y = test.targets().toDoubleArray();
        assertThat(Metrics.r2(t.predict(test.features()), y)).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    @DisplayName("binary classification (sigmoid, cross-entropy): ≥ 95% held-out accuracy on two moons")
    void binary() {
        Trainer t = trainer(NetworkSpec.builder(2).dense(16).activation("tanh").dense(16).activation("tanh").dense(1)
                        .activation("sigmoid").build(), "binary-cross-entropy", PluginSpec.of("adam", "learningRate", 0.01),
                TrainingOptions.defaults().withBatchSize(32).withMaxEpochs(200));
        t.fit(SyntheticData.moons(800, 3));
        Dataset test = SyntheticData.moons(400, 4);
        assertThat(Metrics.accuracy(t.predict(test.features()), SyntheticData.classes(test.targets())))
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    @DisplayName("multi-class (softmax, categorical cross-entropy): ≥ 95% held-out accuracy on three rings")
    void multiClass() {
        Trainer t = trainer(NetworkSpec.builder(2).dense(32).activation("relu").dense(32).activation("relu").dense(3)
                        .activation("softmax").build(), "categorical-cross-entropy",
                PluginSpec.of("adam", "learningRate", 0.01), TrainingOptions.defaults().withBatchSize(32).withMaxEpochs(150));
        t.fit(SyntheticData.rings(900, 5, true));
        Dataset test = SyntheticData.rings(450, 6, true);
        assertThat(Metrics.accuracy(t.predict(test.features()), SyntheticData.classes(test.targets())))
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    @DisplayName("multi-class from logits with class indices (softmax fused into the loss) learns the rings too")
    void multiClassFromLogits() {
        Trainer t = trainer(NetworkSpec.builder(2).dense(32).activation("relu").dense(32).activation("relu").dense(3).build(),
                "sparse-categorical-cross-entropy-logits", PluginSpec.of("sgd", "learningRate", 0.1, "momentum", 0.9),
                TrainingOptions.defaults().withBatchSize(32).withMaxEpochs(150));
        t.fit(SyntheticData.rings(900, 5, false));
        Dataset test = SyntheticData.rings(450, 6, false);
        Tensor p = t.predict(test.features());
        assertThat(p.get(0) + p.get(1) + p.get(2)).as("predictions are softmax probabilities").isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-5));
        assertThat(Metrics.accuracy(p, SyntheticData.classes(test.targets()))).isGreaterThanOrEqualTo(0.95);
    }
}
