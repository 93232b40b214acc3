package dev.nnkit.io.model;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedBuffer;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.plugin.PluginInfo;
import dev.nnkit.core.plugin.PluginKind;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.files.AtomicDirectory;
import dev.nnkit.io.safetensors.Safetensors;
import dev.nnkit.io.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Saves and loads model directories: {@code model.json} (architecture, plugin ids and versions,
 * normalizer, labels, provenance, format version) and {@code model.safetensors} (the weights,
 * and buffers, named as the equivalent PyTorch {@code nn.Sequential}'s {@code state_dict}:
 * {@code 0.weight}, {@code 0.bias}, {@code 1.running_mean}, {@code 2.weight}, …). Saving is atomic; loading checks everything.
 */
public final class ModelFiles {
    public static final String DESCRIPTION = "model.json";
    public static final String WEIGHTS = "model.safetensors";

    private ModelFiles() {
    }

    /**
     * Writes {@code model} to {@code dir}: into a fresh temporary directory beside it, then renamed
     * into place, so a crash leaves either the old model or the new one, never half of either.
     */
    public static void save(Model model, Path dir, PluginRegistry registry) throws IOException {
        AtomicDirectory.write(dir, tmp -> {
            Files.write(tmp.resolve(DESCRIPTION), ModelJson.write(model, registry, pluginVersions(model, registry)));
            Map<String, Tensor> weights = new LinkedHashMap<>();
            for (NamedParameter p : model.network().parameters()) {
                weights.put(p.name(), p.parameter().value());
            }
            for (NamedBuffer b : model.network().buffers()) {
                weights.put(b.name(), b.buffer().value());
            }
            Safetensors.write(tmp.resolve(WEIGHTS), weights, Map.of("format", "pt", "producer", "nnkit"));
        });
    }

    /**
     * Loads a model directory (or the {@code model/} directory inside a run directory written by
     * {@code nn train --out}), checking model.json against the registry and the weights against
     * model.json.
     *
     * @throws InvalidFileException naming the file, the place and the problem
     */
    public static Model load(Path dir, PluginRegistry registry, Safetensors.NonFinite nonFinite) throws IOException {
        if (!Files.isRegularFile(dir.resolve(DESCRIPTION)) && Files.isRegularFile(dir.resolve("model").resolve(DESCRIPTION))) {
            dir = dir.resolve("model"); // a run directory written by `nn train --out`
        }
        Path json = dir.resolve(DESCRIPTION);
        if (!Files.isRegularFile(json)) {
            throw new InvalidFileException(dir, "", "is not a model directory: it has no " + DESCRIPTION + ".");
        }
        ModelJson.Parsed d = ModelJson.read(json, registry);
        Network network;
        try {
            network = new NetworkFactory(registry).build(d.network(), new SplittableRandom(0));
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(json, "/network", e.getMessage());
        }
        Map<String, TensorSpec> expected = new LinkedHashMap<>();
        for (NamedParameter p : network.parameters()) {
            expected.put(p.name(), new TensorSpec(p.parameter().value().dtype(), p.parameter().value().shape()));
        }
        for (NamedBuffer b : network.buffers()) {
            expected.put(b.name(), new TensorSpec(b.buffer().value().dtype(), b.buffer().value().shape()));
        }
        Map<String, Tensor> weights = Safetensors.read(dir.resolve(WEIGHTS), expected, nonFinite).tensors();
        for (NamedParameter p : network.parameters()) {
            p.parameter().value().copyFrom(weights.get(p.name()));
        }
        for (NamedBuffer b : network.buffers()) {
            b.buffer().value().copyFrom(weights.get(b.name()));
        }
        return new Model(network, d.loss(), d.predictionActivation(),
                registry.activation(PluginSpec.of(d.predictionActivation())), d.normalizer(), d.labels(), d.provenance());
    }

    /** "kind/id" → version of every plugin the model names, for model.json. */
    private static Map<String, String> pluginVersions(Model model, PluginRegistry registry) {
        java.util.Set<String> used = new java.util.LinkedHashSet<>();
        for (var s : model.network().stages()) {
            String id = s.spec().type();
            used.add((registry.hasActivation(id) ? PluginKind.ACTIVATION : PluginKind.LAYER).label() + "/" + id);
        }
        used.add(PluginKind.LOSS.label() + "/" + model.loss().type());
        used.add(PluginKind.ACTIVATION.label() + "/" + model.predictionActivation());
        Map<String, String> out = new LinkedHashMap<>();
        for (PluginInfo info : registry.plugins()) {
            String key = info.kind().label() + "/" + info.id();
            if (used.contains(key)) {
                out.put(key, info.version());
            }
        }
        return out;
    }
}
