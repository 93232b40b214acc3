package dev.nnkit.verification;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.tck.GradientCheck;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Back propagation through whole networks, not just single layers: every parameter gradient the
 * trainer computes matches central differences of the batch loss in float64 (ε = 1e-6, max relative
 * error 1e-3), for each golden network (all activations, and the losses with and without logits).
 */
@DisplayName("Whole-network gradient check")
class NetworkGradientCheckTest {

    static Stream<GoldenCase> cases() {
        return GoldenCase.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(GoldenCase c) {
        Trainer t = c.trainer(DType.FLOAT64, PluginSpec.of("sgd"));
        Tensor x = c.x(DType.FLOAT64);
        Tensor y = c.y(DType.FLOAT64);
        t.computeGradients(x, y);
        for (NamedParameter p : t.network().parameters()) {
            Tensor analytic = p.parameter().gradient().copy();
            GradientCheck.check(p.name(), GradientCheck.of(p.parameter().value()), () -> t.computeGradients(x, y),
                    analytic::get);
        }
    }

    @Test
    @DisplayName("holds for a float64 network large enough for the blocked, multi-threaded kernels")
    void blockedFloat64Kernels() {
        // 37×40×48 and 37×48×32 are above the tiny-product threshold (4,096 multiply-adds); the odd
        // sizes hit the kernels' edge strips and leftover rows.
        Trainer t = Trainers.create(new TrainingSpec(NetworkSpec.builder(40).dense(48).activation("tanh").dense(32)
                .activation("sigmoid").dense(10).dtype(DType.FLOAT64).build(),
                PluginSpec.of("sparse-categorical-cross-entropy-logits"), Reduction.MEAN, PluginSpec.of("sgd"),
                TrainingOptions.defaults()));
        SplittableRandom random = new SplittableRandom(3);
        Tensor x = Tensor.zeros(DType.FLOAT64, Shape.of(37, 40));
        Tensor y = Tensor.zeros(DType.FLOAT64, Shape.of(37, 1));
        for (int i = 0; i < x.size(); i++) {
            x.set(i, random.nextDouble(-1, 1));
        }
        for (int i = 0; i < 37; i++) {
            y.set(i, random.nextInt(10));
        }
        t.computeGradients(x, y);
        for (NamedParameter p : t.network().parameters()) {
            Tensor analytic = p.parameter().gradient().copy();
            GradientCheck.check(p.name(), GradientCheck.of(p.parameter().value()), () -> t.computeGradients(x, y),
                    analytic::get);
        }
    }
}
