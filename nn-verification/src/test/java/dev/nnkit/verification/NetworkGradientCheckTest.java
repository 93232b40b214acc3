package dev.nnkit.verification;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.tck.GradientCheck;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
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
}
