package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedBuffer;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomPlan;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * Every image and training-mode layer against PyTorch in float64 (layers.json, written by
 * generate_layer_golden.py): the output, ∂L/∂input and every parameter gradient of each training
 * step, the buffers after the steps (batch norm's running statistics and count), and the output in
 * inference mode. The layer under test is stage 1 behind an identity stage, so the engine computes
 * the layer's input gradient as the identity's output gradient.
 */
@DisplayName("Layers against PyTorch")
class LayerGoldenTest {
    /** float64 against PyTorch's float64. */
    private static final double TOLERANCE = 1e-9;
    /**
     * float32 (the fast paths) against PyTorch's float64: 16 float32 roundings (2⁻²⁴ ≈ 6e-8 each)
     * relative to the largest value of the tensor; errors of 1–3e-7 are seen, 1e-7 fails.
     */
    private static final double FLOAT32_TOLERANCE = 1e-6;
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();

    record LayerCase(String name, JsonNode node) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<LayerCase> cases() {
        try (InputStream in = LayerGoldenTest.class.getResourceAsStream("/golden/layers.json")) {
            JsonNode root = JsonMapper.builder().build().readTree(in);
            List<LayerCase> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                cases.add(new LayerCase(c.get("name").asString(), c));
            }
            return cases.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("float64: forward, backward, buffers and inference equal PyTorch's to 1e-9")
    void equalsPyTorch(LayerCase c) {
        check(c, DType.FLOAT64);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("float32: the same within float32 rounding")
    void float32EqualsPyTorch(LayerCase c) {
        check(c, DType.FLOAT32);
    }

    private static void check(LayerCase c, DType dtype) {
        JsonNode node = c.node();
        Network network = network(node, dtype);
        for (NamedParameter p : network.parameters()) {
            copy(node.get("parameters").get(local(p.name())), p.parameter().value());
        }
        for (NamedBuffer b : network.buffers()) {
            copy(node.get("buffers").get(local(b.name())), b.buffer().value());
        }
        assertThat(network.parameters()).extracting(p -> local(p.name()))
                .containsExactlyElementsOf(names(node.get("parameters")));
        assertThat(network.buffers()).extracting(b -> local(b.name())).containsExactlyElementsOf(names(node.get("buffers")));
        int step = 0;
        for (JsonNode s : node.get("steps")) {
            String at = c.name() + ", step " + step++;
            Tensor y = network.forward(batch(network, s.get("x")));
            assertClose(at + ": output", y, s.get("y"));
            Tensor delta = Tensor.zeros(dtype, y.shape());
            copy(s.get("delta"), delta);
            // NaN where backward must write: a layer that skips a value (trusting a zeroed buffer) fails
            network.stageOutputGradient(0).fill(Double.NaN);
            network.parameters().forEach(p -> p.parameter().gradient().fill(Double.NaN));
            network.backward(delta);
            assertClose(at + ": input gradient", network.stageOutputGradient(0), s.get("dx"));
            for (NamedParameter p : network.parameters()) {
                assertClose(at + ": gradient of " + p.name(), p.parameter().gradient(),
                        s.get("gradients").get(local(p.name())));
            }
        }
        if (node.has("buffersAfter")) {
            for (NamedBuffer b : network.buffers()) {
                assertClose(c.name() + ": " + b.name() + " after the steps", b.buffer().value(),
                        node.get("buffersAfter").get(local(b.name())));
            }
        }
        assertClose(c.name() + ": inference output", network.infer(batch(network, node.get("eval").get("x"))),
                node.get("eval").get("y"));
    }

    private static Network network(JsonNode node, DType dtype) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.get("stage").properties()) {
            if (!e.getKey().equals("type")) {
                params.put(e.getKey(), plain(e.getValue()));
            }
        }
        int[] dims = new int[node.get("inputShape").size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = node.get("inputShape").get(i).asInt();
        }
        NetworkSpec spec = new NetworkSpec(Shape.of(dims), List.of(PluginSpec.of("identity"),
                new PluginSpec(node.get("stage").get("type").asString(), params)), dtype);
        return new NetworkFactory(REGISTRY).build(spec, new RandomPlan(1, 2));
    }

    /** A JSON setting as the plain value a config file gives the binder. */
    private static Object plain(JsonNode v) {
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(e -> list.add(plain(e)));
            return list;
        }
        return v.isBoolean() ? (Object) v.asBoolean() : v.isString() ? v.asString()
                : v.isIntegralNumber() ? (Object) v.asInt() : (Object) v.asDouble();
    }

    private static Tensor batch(Network network, JsonNode values) {
        Tensor x = Tensor.zeros(network.dtype(), network.inputShape().withBatch(values.size() / network.inputSize()));
        copy(values, x);
        return x;
    }

    private static String local(String name) {
        return name.substring(name.indexOf('.') + 1);
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.propertyNames().forEach(out::add);
        return out;
    }

    private static void copy(JsonNode values, Tensor into) {
        assertThat(values.size()).as("values for a " + into.shape() + " tensor").isEqualTo(into.size());
        for (int i = 0; i < into.size(); i++) {
            into.set(i, number(values.get(i)));
        }
    }

    /** A golden number; NaN is written as the string "NaN", JSON having none. */
    private static double number(JsonNode v) {
        return v.isString() ? Double.parseDouble(v.asString()) : v.asDouble();
    }

    private static void assertClose(String what, Tensor actual, JsonNode expected) {
        assertThat(actual.size()).as(what + ": size").isEqualTo(expected.size());
        double largest = 0;
        for (int i = 0; i < actual.size(); i++) {
            largest = Math.max(largest, Double.isNaN(number(expected.get(i))) ? 0 : Math.abs(number(expected.get(i))));
        }
        for (int i = 0; i < actual.size(); i++) {
            double e = number(expected.get(i));
            if (Double.isNaN(e)) {
                assertThat(actual.get(i)).as(what + " [" + i + "]: PyTorch gives NaN").isNaN();
                continue;
            }
            double bound = actual.dtype() == DType.FLOAT64 ? TOLERANCE * Math.max(1, Math.abs(e))
                    : FLOAT32_TOLERANCE * Math.max(1, largest);
            assertThat(Math.abs(actual.get(i) - e)).as(what + " [" + i + "]: " + actual.get(i) + " vs PyTorch " + e)
                    .isLessThanOrEqualTo(bound);
        }
    }
}
