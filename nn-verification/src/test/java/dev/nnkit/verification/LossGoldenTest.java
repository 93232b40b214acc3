package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every built-in loss against torch.nn on a fixed batch (src/test/resources/golden/
 * generate_loss_golden.py): the batch-mean value and ∂C/∂Ŷ agree within 1e-12 in float64.
 */
@DisplayName("Losses against torch.nn")
class LossGoldenTest {
    static final PluginRegistry REGISTRY = PluginRegistry.discover();

    record Case(String loss, Map<String, Object> config, JsonNode node) {
        @Override
        public String toString() {
            return loss + (config.isEmpty() ? "" : " " + config);
        }
    }

    static Stream<Case> cases() throws IOException {
        try (InputStream in = LossGoldenTest.class.getResourceAsStream("/golden/losses.json")) {
            List<Case> out = new ArrayList<>();
            for (JsonNode c : JsonMapper.builder().build().readTree(in).get("cases")) {
                Map<String, Object> config = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : c.get("config").properties()) {
                    config.put(e.getKey(), e.getValue().isBoolean() ? (Object) e.getValue().asBoolean()
                            : (Object) e.getValue().asDouble());
                }
                out.add(new Case(c.get("loss").asString(), config, c));
            }
            return out.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTorch(Case c) {
        LossFunction f = new LossFunction(REGISTRY.loss(new PluginSpec(c.loss(), c.config())), Reduction.MEAN);
        Tensor p = GoldenCase.matrix(c.node().get("prediction"), DType.FLOAT64);
        Tensor y = GoldenCase.matrix(c.node().get("target"), DType.FLOAT64);
        Tensor g = Tensor.zeros(DType.FLOAT64, p.shape());
        double value = f.evaluate(p, y, g, new double[0]);
        double expected = c.node().get("value").asDouble();
        assertThat(Math.abs(value - expected)).as("%s value: nnkit %.17g, torch %.17g", c, value, expected)
                .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(expected)));
        double[] eg = GoldenCase.flatten(c.node().get("gradient"));
        for (int i = 0; i < eg.length; i++) {
            assertThat(Math.abs(g.get(i) - eg[i])).as("%s ∂C/∂ŷ[%d]: nnkit %.17g, torch %.17g", c, i, g.get(i), eg[i])
                    .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(eg[i])));
        }
    }
}
