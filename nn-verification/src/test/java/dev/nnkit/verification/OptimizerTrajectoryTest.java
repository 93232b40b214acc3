package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.StepContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Every built-in optimizer, with its defaults and with each option, follows torch.optim's
 * trajectory for 25 steps on a fixed 6-dimensional Rosenbrock valley, within 1e-9 in float64. The
 * runs come from src/test/resources/golden/generate_optimizer_golden.py; the gradient is the same
 * written-out expression on both sides, so only the optimizers' arithmetic is compared.
 */
@DisplayName("Optimizer trajectories against torch.optim")
class OptimizerTrajectoryTest {
    static final PluginRegistry REGISTRY = PluginRegistry.discover();

    record Run(String optimizer, Map<String, Object> config, double[] theta0, List<double[]> trajectory) {
        @Override
        public String toString() {
            return optimizer + " " + config;
        }
    }

    static Stream<Run> runs() throws IOException {
        try (InputStream in = OptimizerTrajectoryTest.class.getResourceAsStream("/golden/optimizers.json")) {
            JsonNode root = JsonMapper.builder().build().readTree(in);
            double[] theta0 = GoldenCase.flatten(root.get("theta0"));
            List<Run> runs = new ArrayList<>();
            for (JsonNode r : root.get("runs")) {
                Map<String, Object> config = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : r.get("config").properties()) {
                    config.put(e.getKey(), e.getValue().isBoolean() ? (Object) e.getValue().asBoolean()
                            : (Object) e.getValue().asDouble());
                }
                List<double[]> trajectory = new ArrayList<>();
                for (JsonNode step : r.get("trajectory")) {
                    trajectory.add(GoldenCase.flatten(step));
                }
                runs.add(new Run(r.get("optimizer").asString(), config, theta0, trajectory));
            }
            return runs.stream();
        }
    }

    /** ∇f of f(θ) = Σ_{i<n−1} (1 − θᵢ)² + 10(θᵢ₊₁ − θᵢ²)², term for term as the Python script writes it. */
    static void gradient(Tensor t, Tensor g) {
        int n = t.size();
        for (int i = 0; i < n; i++) {
            double v = 0.0;
            if (i < n - 1) {
                v += -2.0 * (1.0 - t.get(i)) - 40.0 * t.get(i) * (t.get(i + 1) - t.get(i) * t.get(i));
            }
            if (i > 0) {
                v += 20.0 * (t.get(i) - t.get(i - 1) * t.get(i - 1));
            }
            g.set(i, v);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void followsTorch(Run run) {
        Optimizer opt = REGISTRY.optimizer(new PluginSpec(run.optimizer(), run.config()));
        Tensor theta = Tensor.of(DType.FLOAT64, Shape.of(run.theta0().length), run.theta0());
        Tensor g = Tensor.zeros(DType.FLOAT64, theta.shape());
        Map<String, Tensor> slots = new HashMap<>();
        opt.stateSlots().forEach(s -> slots.put(s, Tensor.zeros(DType.FLOAT64, theta.shape())));
        opt.scalarStateSlots().forEach(s -> slots.put(s, Tensor.zeros(DType.FLOAT64, Shape.of(1))));
        for (int step = 1; step <= run.trajectory().size(); step++) {
            gradient(theta, g);
            opt.update(theta, g, slots::get, new StepContext(step, opt.learningRate()));
            double[] expected = run.trajectory().get(step - 1);
            for (int i = 0; i < expected.length; i++) {
                assertThat(Math.abs(theta.get(i) - expected[i]))
                        .as("%s, step %d, θ[%d]: nnkit %.17g, torch %.17g", run, step, i, theta.get(i), expected[i])
                        .isLessThanOrEqualTo(1e-9);
            }
        }
    }
}
