package dev.nnkit.io.model;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedBuffer;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.network.NetworkPlan;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.io.json.JsonFields;
import dev.nnkit.core.plugin.PluginInfo;
import dev.nnkit.core.plugin.PluginKind;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.Memory;
import dev.nnkit.io.files.AtomicDirectory;
import dev.nnkit.io.safetensors.Safetensors;
import dev.nnkit.io.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /** As {@link #save(Model, Path, PluginRegistry)}, recording the versions of the plugins found on the path. */
    public static void save(Model model, Path dir) throws IOException {
        save(model, dir, PluginRegistry.discover());
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
        if (!Files.exists(dir)) {
            throw new InvalidFileException(dir, "", "does not exist. Give the directory nn train --out wrote (the run"
                    + " directory, or the model directory inside it).");
        }
        if (!Files.isRegularFile(json)) {
            throw new InvalidFileException(dir, "", (Files.isDirectory(dir) ? "is not a model directory: it has no "
                    + DESCRIPTION : "is a file, not a model directory") + ".");
        }
        ModelJson.Parsed d = ModelJson.read(json, registry);
        NetworkFactory factory = new NetworkFactory(registry);
        Optional<NetworkPlan> plan;
        try {
            plan = factory.plan(d.network());
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(json, "/network", e.getMessage());
        }
        if (plan.isPresent()) {
            // What model.json claims is checked against the weights file's header and length, and
            // against the heap, before anything of the claimed size is allocated.
            checkLabels(json, d.labels(), plan.get().output().size());
            checkFeatures(json, d.labels(), d.network().inputShape().size());
            Map<String, TensorSpec> claimed = new LinkedHashMap<>();
            plan.get().parameters().forEach((k, v) -> claimed.put(k, new TensorSpec(d.network().dtype(), v)));
            plan.get().buffers().forEach((k, v) -> claimed.put(k, new TensorSpec(d.network().dtype(), v)));
            Safetensors.check(dir.resolve(WEIGHTS), claimed);
            checkHeap(json, plan.get(), d.network().dtype());
        }
        Network network;
        try {
            network = factory.build(d.network(), new SplittableRandom(0));
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(json, "/network", e.getMessage());
        }
        checkLabels(json, d.labels(), network.outputShape().size());
        checkFeatures(json, d.labels(), network.inputShape().size());
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
            checkBatchNormBuffer(dir.resolve(WEIGHTS), network, b, weights.get(b.name()));
            b.buffer().value().copyFrom(weights.get(b.name()));
        }
        if (d.targetNormalizer().isPresent() && d.targetNormalizer().get().shift().size() != network.outputShape().size()) {
            throw new InvalidFileException(dir.resolve("model.json"), "/targetNormalizer", "holds "
                    + d.targetNormalizer().get().shift().size() + " columns, but the network has "
                    + network.outputShape().size() + " outputs; the file is damaged or edited.");
        }
        if (d.columns().isPresent() && !d.columns().get().featureNames().equals(d.labels().features())) {
            throw new InvalidFileException(dir.resolve("model.json"), "/columns", "makes the features "
                    + d.columns().get().featureNames() + ", but /labels/features names " + d.labels().features()
                    + "; the file is damaged or edited.");
        }
        return new Model(network, d.loss(), d.predictionActivation(),
                registry.activation(PluginSpec.of(d.predictionActivation())), d.normalizer(), d.labels(), d.provenance(),
                d.pixelScale(), d.targetNormalizer(), d.columns());
    }

    /**
     * A batch norm's running variance is never negative and its count is a whole number ≥ 0: a file
     * saying otherwise would make every prediction NaN (√ of a negative variance), so it is refused.
     */
    private static void checkBatchNormBuffer(Path file, Network network, NamedBuffer b, Tensor values)
            throws InvalidFileException {
        if (!network.stages().get(b.stage()).spec().type().equals("batch-norm")) {
            return;
        }
        boolean count = b.buffer().name().equals("num_batches_tracked");
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            if (count ? v < 0 || v != Math.rint(v) : b.buffer().name().equals("running_var") && v < 0) {
                throw new InvalidFileException(file, "tensor '" + b.name() + "', element " + i, "the value is " + v
                        + "; " + (count ? "a count of batches is a whole number ≥ 0." : "a variance is never negative.")
                        + " The file is damaged or was edited; save the model again.");
            }
        }
    }

    /**
     * Class names must match the outputs: one per output unit, or two for a single sigmoid unit
     * (the probability of the second), all different; predictions are written with them.
     */
    private static void checkLabels(Path json, Model.Labels labels, int outputs) throws InvalidFileException {
        List<String> classes = labels.classes();
        if (classes.isEmpty()) {
            return;
        }
        if (classes.size() != outputs && !(outputs == 1 && classes.size() == 2)) {
            throw new InvalidFileException(json, "/labels/classes", classes.size() + " class names for " + outputs
                    + " output" + (outputs == 1 ? "" : "s") + "; a classifier needs one name per output (or two for a single"
                    + " sigmoid output). Give " + (outputs == 1 ? "2" : String.valueOf(outputs))
                    + " names, or none for a regression model.");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < classes.size(); i++) {
            if (!seen.add(classes.get(i))) {
                throw new InvalidFileException(json, "/labels/classes/" + i, "the class name \""
                        + JsonFields.printable(classes.get(i)) + "\" appears twice; every class needs its own name.");
            }
        }
    }

    /** Feature names, when given, name every input. */
    private static void checkFeatures(Path json, Model.Labels labels, int inputs) throws InvalidFileException {
        if (!labels.features().isEmpty() && labels.features().size() != inputs) {
            throw new InvalidFileException(json, "/labels/features", labels.features().size() + " feature names for "
                    + inputs + " inputs; give one name per input, or none.");
        }
    }

    /** Refuses a network whose weights, loaded, would not fit the heap, with both figures. */
    private static void checkHeap(Path json, NetworkPlan plan, DType dtype) throws InvalidFileException {
        long bytes = 2 * plan.values() * dtype.bytes(); // the network's tensors, and the file's copy as it loads
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new InvalidFileException(json, "/network", "the model has " + plan.values() + " weights; loading"
                    + " them takes about " + Memory.format(bytes) + " but the Java heap is at most " + Memory.format(heap)
                    + ". Give the JVM more (e.g. NN_JAVA_OPTS=-Xmx" + Memory.suggestedXmx(bytes) + " ./nn …) if the model"
                    + " is really this large.");
        }
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
