package dev.nnkit.verification;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One network of golden.json (written by generate_golden.py with PyTorch) and how to rebuild it in nnkit. */
record GoldenCase(String name, JsonNode node) {
    @Override
    public String toString() {
        return name;
    }

    static List<GoldenCase> all() {
        try (InputStream in = GoldenCase.class.getResourceAsStream("/golden/golden.json")) {
            JsonNode root = JsonMapper.builder().build().readTree(in);
            List<GoldenCase> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                cases.add(new GoldenCase(c.get("name").asString(), c));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A trainer for this network wired by Guice, with the golden initial parameters copied in. */
    Trainer trainer(DType dtype, PluginSpec optimizer) {
        NetworkSpec.Builder b = NetworkSpec.builder(node.get("inputs").asInt()).dtype(dtype);
        for (JsonNode s : node.get("stages")) {
            Map<String, Object> params = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : s.properties()) {
                if (!e.getKey().equals("type")) {
                    JsonNode v = e.getValue();
                    params.put(e.getKey(), v.isBoolean() ? (Object) v.asBoolean() : v.isString() ? v.asString()
                            : v.isIntegralNumber() ? (Object) v.asInt() : (Object) v.asDouble());
                }
            }
            b.stage(new PluginSpec(s.get("type").asString(), params));
        }
        TrainingSpec spec = new TrainingSpec(b.build(), PluginSpec.of(node.get("loss").asString()), Reduction.MEAN,
                optimizer, TrainingOptions.defaults());
        Trainer t = Trainers.create(spec);
        for (NamedParameter p : t.network().parameters()) {
            JsonNode values = node.get("params").get(p.name());
            if (values == null) {
                throw new AssertionError("golden.json has no parameter " + p.name() + " for " + name);
            }
            double[] flat = flatten(values);
            Tensor v = p.parameter().value();
            if (flat.length != v.size()) {
                throw new AssertionError(p.name() + ": golden has " + flat.length + " values, nnkit " + v.size());
            }
            for (int i = 0; i < flat.length; i++) {
                v.set(i, flat[i]);
            }
        }
        return t;
    }

    double sgdLearningRate() {
        return node.get("sgd_lr").asDouble();
    }

    double adamLearningRate() {
        return node.get("adam_lr").asDouble();
    }

    Tensor x(DType dtype) {
        return matrix(node.get("x"), dtype);
    }

    Tensor y(DType dtype) {
        return matrix(node.get("y"), dtype);
    }

    /** PyTorch's results for one dtype ("float64" or "float32"). */
    JsonNode expected(DType dtype) {
        return node.get(dtype.id());
    }

    static Tensor matrix(JsonNode rows, DType dtype) {
        double[][] m = new double[rows.size()][];
        for (int r = 0; r < m.length; r++) {
            m[r] = flatten(rows.get(r));
        }
        return Tensor.matrix(dtype, m);
    }

    static double[] flatten(JsonNode n) {
        List<Double> out = new ArrayList<>();
        flattenInto(n, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void flattenInto(JsonNode n, List<Double> out) {
        if (n.isArray()) {
            for (JsonNode c : n) {
                flattenInto(c, out);
            }
        } else {
            out.add(n.asDouble());
        }
    }
}
