package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.NamedBuffer;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small CNN (conv, batch norm, ReLU, max-pool, grouped conv, avg-pool, flatten, dense, dropout
 * with p = 0, dense) trained 20 Adam steps on one batch, against PyTorch in float64
 * (cnn-trajectory.json, from generate_cnn_trajectory.py): every step's loss, and every parameter
 * and buffer after steps 1, 10 and 20, to 1e-9.
 */
@DisplayName("A CNN's 20-step Adam trajectory against PyTorch (float64, 1e-9)")
class CnnTrajectoryTest {
    private static final double TOLERANCE = 1e-9;

    @Test
    @DisplayName("losses, parameters and running statistics follow PyTorch's")
    void followsPyTorch() throws IOException {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/cnn-trajectory.json")) {
            golden = JsonMapper.builder().build().readTree(in);
        }
        NetworkSpec.Builder net = NetworkSpec.builder(Shape.of(2, 8, 8)).dtype(DType.FLOAT64);
        for (JsonNode s : golden.get("stages")) {
            Map<String, Object> params = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : s.properties()) {
                if (!e.getKey().equals("type")) {
                    JsonNode v = e.getValue();
                    params.put(e.getKey(), v.isString() ? v.asString() : v.isIntegralNumber() ? (Object) v.asInt()
                            : (Object) v.asDouble());
                }
            }
            net.stage(new PluginSpec(s.get("type").asString(), params));
        }
        Trainer t = Trainers.create(new TrainingSpec(net.build(), PluginSpec.of("sparse-categorical-cross-entropy-logits"),
                Reduction.MEAN, PluginSpec.of("adam", "learningRate", golden.get("learningRate").asDouble()),
                TrainingOptions.defaults()));
        copyState(t, golden.get("initial"));
        Tensor x = Tensor.zeros(DType.FLOAT64, Shape.of(6, 2, 8, 8));
        for (int i = 0; i < x.size(); i++) {
            x.set(i, golden.get("x").get(i).asDouble());
        }
        Tensor y = Tensor.zeros(DType.FLOAT64, Shape.of(6, 1));
        for (int i = 0; i < 6; i++) {
            y.set(i, golden.get("y").get(i).asInt());
        }
        for (int step = 1; step <= 20; step++) {
            double loss = t.step(x, y);
            double expected = golden.get("losses").get(step - 1).asDouble();
            assertThat(Math.abs(loss - expected)).as("loss of step %d: %s vs PyTorch %s", step, loss, expected)
                    .isLessThanOrEqualTo(TOLERANCE * Math.max(1, Math.abs(expected)));
            if (golden.get("after").has(String.valueOf(step))) {
                assertState(t, golden.get("after").get(String.valueOf(step)), "after step " + step);
            }
        }
    }

    private static void copyState(Trainer t, JsonNode state) {
        for (NamedParameter p : t.network().parameters()) {
            copy(state.get(p.name()), p.parameter().value(), p.name());
        }
        for (NamedBuffer b : t.network().buffers()) {
            copy(state.get(b.name()), b.buffer().value(), b.name());
        }
        List<String> names = new ArrayList<>();
        t.network().parameters().forEach(p -> names.add(p.name()));
        t.network().buffers().forEach(b -> names.add(b.name()));
        List<String> theirs = new ArrayList<>();
        state.propertyNames().forEach(theirs::add);
        assertThat(names).as("nnkit's tensors are PyTorch's state_dict").containsExactlyInAnyOrderElementsOf(theirs);
    }

    private static void copy(JsonNode values, Tensor into, String name) {
        assertThat(values).as(name + " in the golden file").isNotNull();
        assertThat(values.size()).as(name + " size").isEqualTo(into.size());
        for (int i = 0; i < into.size(); i++) {
            into.set(i, values.get(i).asDouble());
        }
    }

    private static void assertState(Trainer t, JsonNode state, String when) {
        for (NamedParameter p : t.network().parameters()) {
            assertClose(p.parameter().value(), state.get(p.name()), p.name() + " " + when);
        }
        for (NamedBuffer b : t.network().buffers()) {
            assertClose(b.buffer().value(), state.get(b.name()), b.name() + " " + when);
        }
    }

    private static void assertClose(Tensor actual, JsonNode expected, String what) {
        for (int i = 0; i < actual.size(); i++) {
            double e = expected.get(i).asDouble();
            assertThat(Math.abs(actual.get(i) - e)).as("%s [%d]: %s vs PyTorch %s", what, i, actual.get(i), e)
                    .isLessThanOrEqualTo(TOLERANCE * Math.max(1, Math.abs(e)));
        }
    }
}
