package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.kernel.Parallel;
import dev.nnkit.core.network.Kernels;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole training runs give the same bytes whatever the split of their products and optimizer
 * updates across threads: the Fashion-MNIST MLP trained with every range forced into 1, 2, 3 and 4
 * parts ends with identical weights. Runs on the portable loops and on the Vector API (see the pom).
 */
@org.junit.jupiter.api.Tag("slow") // excluded by -DexcludedGroups=slow for a quick local loop; CI runs it
@DisplayName("Training does not depend on the number of threads")
class SplitTrainingTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    @DisplayName("784-256-128-10 trained for 2 epochs at 1, 2, 3 and 4 parts ends bit-identical")
    void sameWeightsAtEverySplit(DType dtype) {
        String expected = System.getProperty("nnkit.expectKernels", "");
        if (!expected.isEmpty()) {
            assertThat(Kernels.float32Path()).as("kernels chosen").startsWith(expected);
        }
        List<double[]> reference = null;
        for (int parts = 1; parts <= 4; parts++) {
            List<double[]> weights = new ArrayList<>();
            Parallel.runWithParts(parts, () -> weights.addAll(train(dtype)));
            if (reference == null) {
                reference = weights;
                continue;
            }
            for (int i = 0; i < reference.size(); i++) {
                assertThat(weights.get(i)).as("parameter %d at %d parts vs 1", i, parts).containsExactly(reference.get(i));
            }
        }
    }

    private static List<double[]> train(DType dtype) {
        SplittableRandom r = new SplittableRandom(9);
        int n = 300;
        Tensor x = Tensor.zeros(dtype, Shape.of(n, 784));
        Tensor y = Tensor.zeros(dtype, Shape.of(n, 1));
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble());
        }
        for (int i = 0; i < n; i++) {
            y.set(i, i % 10);
        }
        Trainer t = Trainers.create(new TrainingSpec(NetworkSpec.builder(784).dense(256).activation("relu").dense(128)
                .activation("relu").dense(10).dtype(dtype).build(), PluginSpec.of("sparse-categorical-cross-entropy-logits"),
                Reduction.MEAN, PluginSpec.of("adam"), TrainingOptions.defaults().withBatchSize(128).withMaxEpochs(2)));
        t.fit(new Dataset(x, y));
        List<double[]> out = new ArrayList<>();
        for (NamedParameter p : t.network().parameters()) {
            out.add(p.parameter().value().toDoubleArray());
        }
        return out;
    }
}
