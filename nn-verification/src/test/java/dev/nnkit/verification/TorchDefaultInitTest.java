package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomStreams;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code weightInit}/{@code biasInit} {@code torch-default} start a layer as PyTorch's
 * {@code nn.Linear} and {@code nn.Conv2d} do: the same uniform distribution, checked against what
 * PyTorch drew for the same layer sizes (src/test/resources/golden/generate_init_golden.py). With
 * N values from U(−a, a), the largest |value| falls short of a by about a/N, and the standard
 * deviation a/√3 is known to about 1/√(2N) relative: the tolerances are ten times those.
 */
@DisplayName("torch-default initialization against PyTorch")
class TorchDefaultInitTest {
    static final PluginRegistry REGISTRY = PluginRegistry.discover();

    record Case(String layer, JsonNode sizes, JsonNode torch) {
        @Override
        public String toString() {
            return layer + " " + sizes;
        }
    }

    static Stream<Case> cases() throws IOException {
        try (InputStream in = TorchDefaultInitTest.class.getResourceAsStream("/golden/init.json")) {
            List<Case> cases = new ArrayList<>();
            JsonMapper.builder().build().readTree(in).get("layers").forEach(n -> cases.add(new Case(n.get("layer").asString(),
                    n.get("sizes"), n)));
            return cases.stream();
        }
    }

    private static Network build(Case c, String weightInit, String biasInit) {
        Map<String, Object> settings = new LinkedHashMap<>();
        Shape input;
        if (c.layer().equals("dense")) {
            input = Shape.of(c.sizes().get("in").asInt());
            settings.put("units", c.sizes().get("units").asLong());
        } else {
            int k = c.sizes().get("kernel").asInt();
            input = Shape.of(c.sizes().get("channels").asInt(), k, k);
            settings.put("filters", c.sizes().get("filters").asLong());
            settings.put("kernel", (long) k);
            settings.put("groups", c.sizes().get("groups").asLong());
        }
        settings.put("weightInit", weightInit);
        settings.put("biasInit", biasInit);
        return new NetworkFactory(REGISTRY).build(new NetworkSpec(input, List.of(new PluginSpec(c.layer(), settings)),
                DType.FLOAT64), new RandomStreams(1).next());
    }

    private static double[] values(Network n, String name) {
        return n.parameters().stream().filter(p -> p.name().equals(name)).findFirst().map(NamedParameter::parameter)
                .orElseThrow().value().toDoubleArray();
    }

    private static double std(double[] v) {
        double mean = Arrays.stream(v).average().orElseThrow();
        return Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameDistributionAsTorch(Case c) {
        Network n = build(c, "torch-default", "torch-default");
        for (String part : List.of("Weight", "Bias")) {
            double[] v = values(n, "0." + part.toLowerCase(java.util.Locale.ROOT));
            assertThat(v.length).isEqualTo(c.torch().get(part.equals("Weight") ? "weights" : "biases").asInt());
            double torchMax = c.torch().get("maxAbs" + part).asDouble();
            double max = Arrays.stream(v).map(Math::abs).max().orElseThrow();
            assertThat(max).as("%s: largest |%s|", c, part).isCloseTo(torchMax,
                    org.assertj.core.api.Assertions.within(10 * torchMax / v.length));
            double torchStd = c.torch().get("std" + part).asDouble();
            assertThat(std(v)).as("%s: standard deviation of the %s", c, part).isCloseTo(torchStd,
                    org.assertj.core.api.Assertions.within(10 * torchStd / Math.sqrt(2.0 * v.length)));
        }
    }

    @Test
    @DisplayName("the bias stays zero unless biasInit says otherwise, and the weights' draws do not change")
    void biasDefaultsToZero() throws IOException {
        Case c = cases().findFirst().orElseThrow();
        Network zeros = build(c, "torch-default", "zeros");
        assertThat(values(zeros, "0.bias")).containsOnly(0.0);
        assertThat(values(zeros, "0.weight")).containsExactly(values(build(c, "torch-default", "torch-default"), "0.weight"));
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    @DisplayName("nn train: torch-default trains; biasInit on a layer without a bias, or an unknown one, exits 4 with the fix")
    void throughTheCli() throws IOException {
        java.nio.file.Files.writeString(dir.resolve("xor.csv"), CliTest.XOR_CSV);
        java.nio.file.Path ok = java.nio.file.Files.writeString(dir.resolve("ok.json"), CliTest.config("\"adam\"", "")
                .replace("{\"type\": \"dense\", \"units\": 4}",
                        "{\"type\": \"dense\", \"units\": 4, \"weightInit\": \"torch-default\", \"biasInit\": \"torch-default\"}"));
        CliTest.Run r = CliTest.nn("train", "--quiet", "--config", ok.toString());
        assertThat(r.code()).as(r.err()).isZero();
        java.nio.file.Path noBias = java.nio.file.Files.writeString(dir.resolve("nobias.json"), CliTest.config("\"adam\"", "")
                .replace("{\"type\": \"dense\", \"units\": 4}",
                        "{\"type\": \"dense\", \"units\": 4, \"bias\": false, \"biasInit\": \"torch-default\"}"));
        r = CliTest.nn("train", "--quiet", "--config", noBias.toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("nobias.json at /layers/0/biasInit:").contains("biasInit 'torch-default' has no bias "
                + "to start: bias is false. Remove biasInit, or set bias to true.");
        java.nio.file.Path unknown = java.nio.file.Files.writeString(dir.resolve("unknown.json"), CliTest.config("\"adam\"", "")
                .replace("{\"type\": \"dense\", \"units\": 4}", "{\"type\": \"dense\", \"units\": 4, \"biasInit\": \"torch\"}"));
        r = CliTest.nn("train", "--quiet", "--config", unknown.toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("torch-default");
    }
}
