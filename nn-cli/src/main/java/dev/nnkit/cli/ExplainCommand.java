package dev.nnkit.cli;

import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.explain.Explainer;
import dev.nnkit.core.explain.Explanation;
import dev.nnkit.core.explain.ExplanationRenderer;
import dev.nnkit.core.inject.Trainers;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.plugin.PluginInfo;
import dev.nnkit.core.plugin.PluginKind;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomStreams;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.io.config.TrainingConfig;
import dev.nnkit.io.config.TrainingConfigReader;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import dev.nnkit.io.safetensors.TensorSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nn explain}: one training step on one sample, written out neuron by neuron as the seeds
 * do by hand, with every number taken from the real forward pass, backward pass and update.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write out the forward pass, loss, δ recursion, gradients and one update for one sample.")
final class ExplainCommand implements Callable<Integer> {
    enum Format { text, markdown, json }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final class Source {
        @Option(names = "--model", paramLabel = "DIR", description = "A trained model (or run) directory.")
        Path model;

        @Option(names = "--config", paramLabel = "FILE", description = "A training config (its layers, loss, optimizer).")
        Path config;
    }

    @ArgGroup(multiplicity = "1")
    Source source;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "With --config: start from these weights (safetensors, state_dict names) instead of seeded ones.")
    Path weights;

    @Option(names = "--input", required = true, split = ",", paramLabel = "X", description = "The sample: x1,x2,…")
    List<String> input;

    @Option(names = "--target", required = true, split = ",", paramLabel = "Y",
            description = "Its target: the value(s), one-hot row, or class index the loss takes.")
    List<String> target;

    @Option(names = "--optimizer", paramLabel = "ID", description = "The optimizer of the update (default: the config's, or sgd).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "ETA", description = "Its learning rate (default: the config's, or 0.1).")
    Double learningRate;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), markdown or json.")
    Format format = Format.text;

    @Option(names = "--neurons", paramLabel = "K", description = "Neurons (and sum terms) shown per layer (default 8).")
    int neurons = 8;

    @Override
    public Integer call() throws Exception {
        if (neurons < 1) {
            throw new ParameterException(spec.commandLine(), "--neurons must be at least 1; got " + neurons + ".");
        }
        PluginRegistry registry = PluginRegistry.discover();
        Trainer trainer;
        PluginSpec lossSpec;
        PluginSpec optimizerSpec;
        double[] x;
        double[] y;
        if (source.config != null) {
            TrainingConfig cfg = new TrainingConfigReader(registry).read(source.config);
            requireDenseStages(cfg.layers(), registry, source.config, "/layers/");
            x = numbers("--input", input, cfg.dtype());
            y = numbers("--target", target, cfg.dtype());
            optimizerSpec = optimizerSpec(cfg.optimizer(), registry);
            lossSpec = cfg.loss();
            if (weights != null) {
                dev.nnkit.io.files.InputFiles.requireFile(weights, "safetensors weights");
            }
            // As nn train does: a network the heap cannot hold is refused at its layer, with the figure.
            dev.nnkit.io.config.TrainingMemory.check(cfg, dev.nnkit.api.tensor.Shape.of(x.length), 1, registry);
            trainer = Trainers.create(new dev.nnkit.core.train.TrainingSpec(cfg.toSpec(x.length).network(), lossSpec,
                    Reduction.MEAN, optimizerSpec, cfg.options()), registry);
            if (weights != null) {
                load(trainer.network(), weights);
            }
        } else {
            if (weights != null) {
                throw new ParameterException(spec.commandLine(), "--weights goes with --config; a model has its own.");
            }
            Model m = ModelFiles.load(source.model, registry, Safetensors.NonFinite.REJECT);
            requireDenseStages(m.network().stages().stream().map(s -> s.spec()).toList(), registry,
                    source.model, "/network/stages/");
            x = numbers("--input", input, m.network().dtype());
            y = numbers("--target", target, m.network().dtype());
            if (x.length != m.network().inputSize()) {
                throw new ParameterException(spec.commandLine(), "--input has " + x.length + " value"
                        + (x.length == 1 ? "" : "s") + "; the model " + source.model + " takes " + m.network().inputSize()
                        + " inputs. Give one value per input.");
            }
            lossSpec = m.loss();
            optimizerSpec = optimizerSpec(PluginSpec.of("sgd", "learningRate", 0.1), registry);
            if (m.normalizer().isPresent()) {
                Tensor t = Tensor.of(dev.nnkit.api.tensor.DType.FLOAT64, dev.nnkit.api.tensor.Shape.of(1, x.length), x);
                m.normalizer().get().apply(t);
                x = t.toDoubleArray();
                for (int i = 0; i < x.length; i++) {
                    double limit = m.network().dtype() == dev.nnkit.api.tensor.DType.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
                    if (!(Math.abs(x[i]) <= limit)) {
                        throw new ParameterException(spec.commandLine(), "--input, value " + (i + 1) + " of " + x.length
                                + ": " + dev.nnkit.io.InvalidFileException.quote(input.get(i).strip()) + " becomes "
                                + x[i] + " after the model's normalizer (" + m.normalizer().get().type()
                                + "), beyond the model's number range; give a value nearer the training data.");
                    }
                }
                spec.commandLine().getErr().println("The model normalizes its inputs (" + m.normalizer().get().type()
                        + "); the derivation starts from the normalized input.");
            }
            RandomStreams random = new RandomStreams(0);
            trainer = new Trainer(m.network(), new LossFunction(registry.loss(lossSpec), Reduction.MEAN),
                    registry.optimizer(optimizerSpec), registry.activation(PluginSpec.of(m.predictionActivation())),
                    TrainingOptions.defaults(), random.next());
        }
        Map<String, Object> settings = ConfigBinder.toMap(ConfigBinder.bind(
                registry.provider(PluginKind.OPTIMIZER, optimizerSpec.type()), optimizerSpec.params()));
        Explanation e;
        try {
            e = Explainer.explain(trainer, x, y,
                    formulas(registry), lossSpec.type(), optimizerSpec.type(), settings);
        } catch (IllegalArgumentException ex) {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
        var out = spec.commandLine().getOut();
        switch (format) {
            case json -> out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(e));
            case markdown -> out.print(ExplanationRenderer.markdown(e, neurons));
            default -> out.print(ExplanationRenderer.text(e, neurons));
        }
        return NnCommand.OK;
    }

    /** The option's values, each a plain decimal within {@code dtype} (the rules of a CSV cell). */
    private double[] numbers(String option, List<String> values, dev.nnkit.api.tensor.DType dtype) {
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = dev.nnkit.io.csv.Decimals.parse(values.get(i).strip(), dtype);
            } catch (IllegalArgumentException ex) {
                throw new ParameterException(spec.commandLine(), option + ", value " + (i + 1) + " of " + v.length
                        + ": " + ex.getMessage());
            }
        }
        return v;
    }

    private PluginSpec optimizerSpec(PluginSpec configured, PluginRegistry registry) {
        if (learningRate != null && !(learningRate > 0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new ParameterException(spec.commandLine(), "--lr must be a positive finite number such as 0.1 or 1e-3;"
                    + " got " + learningRate + ".");
        }
        if (optimizer != null && !registry.ids(PluginKind.OPTIMIZER).contains(optimizer)) {
            try {
                registry.provider(PluginKind.OPTIMIZER, optimizer);
            } catch (IllegalArgumentException ex) {
                throw new ParameterException(spec.commandLine(), "--optimizer: " + ex.getMessage());
            }
        }
        String id = optimizer != null ? optimizer : configured.type();
        Map<String, Object> params = new LinkedHashMap<>(id.equals(configured.type()) ? configured.params() : Map.of());
        if (learningRate != null) {
            params.put("learningRate", learningRate);
        } else if (!params.containsKey("learningRate")) {
            params.put("learningRate", 0.1);
        }
        PluginSpec result = new PluginSpec(id, params);
        try {
            registry.optimizer(result);
        } catch (IllegalArgumentException ex) { // a setting the optimizer refuses, e.g. --lr beyond its range
            throw new ParameterException(spec.commandLine(), (learningRate != null ? "--lr " + learningRate + ": " : "")
                    + ex.getMessage());
        }
        return result;
    }

    /** One-line formulas of every plugin, from the providers' own descriptions. */
    private static Map<String, String> formulas(PluginRegistry registry) {
        Map<String, String> f = new LinkedHashMap<>();
        for (PluginInfo p : registry.plugins()) {
            f.putIfAbsent(p.id(), p.description());
        }
        return f;
    }

    private static void load(Network network, Path file) throws java.io.IOException {
        Map<String, TensorSpec> expected = new LinkedHashMap<>();
        for (NamedParameter p : network.parameters()) {
            expected.put(p.name(), new TensorSpec(p.parameter().value().dtype(), p.parameter().value().shape()));
        }
        Map<String, Tensor> w = Safetensors.read(file, expected, Safetensors.NonFinite.REJECT).tensors();
        for (NamedParameter p : network.parameters()) {
            p.parameter().value().copyFrom(w.get(p.name()));
        }
    }

    /**
     * explain writes out dense layers and their activations, the seeds' networks; a network with
     * other layers (convolution, pooling, batch norm, dropout) is refused at the first of them.
     */
    private static void requireDenseStages(List<PluginSpec> stages, PluginRegistry registry, Path file, String pointer)
            throws dev.nnkit.io.InvalidFileException {
        for (int i = 0; i < stages.size(); i++) {
            String type = stages.get(i).type();
            if (!type.equals("dense") && !registry.hasActivation(type)) {
                throw new dev.nnkit.io.InvalidFileException(file, pointer + i, "nn explain writes out dense layers and"
                        + " their activations; '" + type + "' (stage " + i + ") has no written-out derivation yet."
                        + " Explain a network of dense layers, or train this one with nn train.");
            }
        }
    }
}
