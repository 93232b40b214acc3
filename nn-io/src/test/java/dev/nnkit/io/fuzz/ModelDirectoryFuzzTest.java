package dev.nnkit.io.fuzz;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model directory from a stranger, end to end: model.json mutated field-aware (any node replaced
 * by a hostile value: huge or negative numbers, fractions, 120000000 units, control characters,
 * objects, arrays, null) and model.safetensors mutated byte-wise, then loaded and, when it loads,
 * asked for predictions. The only acceptable outcomes are predictions or an
 * {@link InvalidFileException}: no other exception, no out-of-memory, no hang.
 */
@net.jqwik.api.Tag("slow")
class ModelDirectoryFuzzTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> HOSTILE = List.of("100000000000000000000000", "4294967297", "2147483647", "120000000",
            "-1", "0", "2.5", "1e308", "\"\"", "\"\\u001b]0;x\\u0007\"", "\"dense\"", "\"softmax\"", "{}", "{\"type\":\"dense\"}",
            "[]", "[0]", "[16]", "[1,28,28]", "null", "true");

    record Case(byte[] json, byte[] weights) {
    }

    @Provide
    Arbitrary<Case> models() {
        byte[] json = Corpus.of("model-json").stream().filter(b -> b.length > 0 && b[0] == '{').findFirst().orElseThrow();
        byte[] weights = Corpus.of("model-json").stream().filter(b -> b.length > 8 && b[8] == '{').findFirst().orElseThrow();
        return Arbitraries.randomValue(r -> new Case(mutateJson(json, r),
                r.nextInt(3) == 0 ? Corpus.mutate(weights, r) : weights));
    }

    /** One to three nodes of the JSON replaced by hostile values. */
    static byte[] mutateJson(byte[] seed, Random r) {
        JsonNode root = JSON.readTree(seed);
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            List<JsonNode[]> places = new ArrayList<>(); // {parent, index or name as text node}
            collect(root, places);
            JsonNode[] p = places.get(r.nextInt(places.size()));
            JsonNode value = JSON.readTree(HOSTILE.get(r.nextInt(HOSTILE.size())));
            if (p[0] instanceof ObjectNode o) {
                o.set(p[1].asString(), value);
            } else {
                ((ArrayNode) p[0]).set(p[1].asInt(), value);
            }
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void collect(JsonNode node, List<JsonNode[]> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.add(new JsonNode[] {node, JSON.getNodeFactory().stringNode(e.getKey())});
                collect(e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(new JsonNode[] {node, JSON.getNodeFactory().numberNode(i)});
                collect(node.get(i), out);
            }
        }
    }

    @Property(tries = 400, seed = "20261206")
    @Label("mutated model directories load and predict, or are refused cleanly")
    void loadAndPredict(@ForAll("models") Case c) throws IOException {
        Path dir = Files.createTempDirectory("fuzz-model-dir");
        try {
            Files.write(dir.resolve(ModelFiles.DESCRIPTION), c.json());
            Files.write(dir.resolve(ModelFiles.WEIGHTS), c.weights());
            Model m;
            try {
                m = ModelFiles.load(dir, ReaderFuzzTest.REGISTRY, Safetensors.NonFinite.REJECT);
            } catch (InvalidFileException expected) {
                return;
            }
            Tensor x = Tensor.zeros(m.network().dtype(), m.network().inputShape().withBatch(3));
            for (int i = 0; i < x.size(); i++) {
                x.set(i, i % 7 - 3);
            }
            m.predict(x);
        } catch (InvalidFileException expected) {
            // a clean refusal
        } catch (Throwable t) {
            throw new AssertionError("model directory failed with " + t + " for model.json "
                    + new String(c.json(), StandardCharsets.UTF_8), t);
        } finally {
            dev.nnkit.io.files.AtomicDirectory.deleteRecursively(dir);
        }
    }
}
