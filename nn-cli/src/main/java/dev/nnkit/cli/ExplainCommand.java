package dev.nnkit.cli;

import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.explain.Explainer;
import dev.nnkit.core.explain.Explanation;
import dev.nnkit.core.explain.ExplanationRenderer;
import dev.nnkit.core.explain.Trace;
import dev.nnkit.core.explain.TraceRenderer;
import dev.nnkit.core.explain.Tracer;
import dev.nnkit.core.explain.Words;
import dev.nnkit.inject.Trainers;
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
 * {@code nn explain}: one training step written out as the seeds do by hand, with every number
 * taken from the real forward pass, backward pass and update: a dense network on one sample
 * neuron by neuron ({@link Explainer}), any other network or a batch stage by stage ({@link Tracer}).
 */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = NnCommand.Version.class, sortOptions = false,
        description = "Write out the forward pass, loss, δ recursion, gradients and one update for a sample or a small batch.")
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

    @Option(names = "--input", required = true, paramLabel = "X",
            description = "A sample: x1,x2,… (give --input once per sample for a batch, as batch norm needs).")
    List<String> input;

    @Option(names = "--target", required = true, paramLabel = "Y",
            description = "Its target: the value(s), one-hot row or class index the loss takes, or a class name of the "
                    + "model (once per sample).")
    List<String> target;

    @Option(names = "--optimizer", paramLabel = "ID", description = "The optimizer of the update (default: the config's, "
            + "the model's run config.json's, or sgd).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "ETA", description = "Its learning rate (default: the config's, or 0.1).")
    Double learningRate;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), markdown or json.")
    Format format = Format.text;

    @Option(names = "--neurons", paramLabel = "K", description = "Neurons (and sum terms) shown per layer (default 8).")
    int neurons = 8;

    @Option(names = "--lang", paramLabel = "LANG", description = "en (default) or zh: the language of the text.")
    String lang = "en";

    @Override
    public Integer call() throws Exception {
        if (neurons < 1) {
            throw new ParameterException(spec.commandLine(), "--neurons must be at least 1; got " + neurons + ".");
        }
        Words words;
        try {
            words = Words.of(lang);
        } catch (IllegalArgumentException ex) {
            throw new ParameterException(spec.commandLine(), "--lang: " + ex.getMessage());
        }
        if (target.size() != input.size()) {
            throw new ParameterException(spec.commandLine(), "give one --target per --input: got " + input.size()
                    + " input" + (input.size() == 1 ? "" : "s") + " and " + target.size() + " target"
                    + (target.size() == 1 ? "" : "s") + ".");
        }
        PluginRegistry registry = PluginRegistry.discover();
        Trainer trainer;
        PluginSpec lossSpec;
        PluginSpec optimizerSpec;
        Shape sample;
        double[][] x;
        double[][] y;
        if (source.config != null) {
            TrainingConfig cfg = new TrainingConfigReader(registry).read(source.config);
            x = samples("--input", input, cfg.dtype());
            y = samples("--target", target, cfg.dtype());
            sample = sampleShape(cfg, x[0].length);
            optimizerSpec = optimizerSpec(cfg.optimizer(), registry);
            lossSpec = cfg.loss();
            if (weights != null) {
                dev.nnkit.io.files.InputFiles.requireFile(weights, "safetensors weights");
            }
            // As nn train does: a network the heap cannot hold is refused at its layer, with the figure.
            dev.nnkit.io.config.TrainingMemory.check(cfg, sample, x.length, registry);
            trainer = Trainers.create(new dev.nnkit.core.train.TrainingSpec(cfg.toSpec(sample).network(), lossSpec,
                    Reduction.MEAN, optimizerSpec, cfg.options()), registry);
            if (weights != null) {
                load(trainer.network(), weights);
            }
        } else {
            if (weights != null) {
                throw new ParameterException(spec.commandLine(), "--weights goes with --config; a model has its own.");
            }
            Model m = ModelFiles.load(source.model, registry, Safetensors.NonFinite.REJECT);
            sample = m.network().inputShape();
            x = samples("--input", input, m.network().dtype());
            y = samples("--target", classTargets(m, registry), m.network().dtype());
            if (x[0].length != m.network().inputSize()) {
                throw new ParameterException(spec.commandLine(), "--input has " + x[0].length + " value"
                        + (x[0].length == 1 ? "" : "s") + "; the model " + source.model + " takes " + m.network().inputSize()
                        + " inputs" + (m.labels().features().isEmpty() ? "" : " ("
                        + String.join(", ", m.labels().features().stream().limit(20).toList())
                        + (m.labels().features().size() > 20 ? ", …" : "") + ")") + ". Give one value per input.");
            }
            if (m.targetNormalizer().isPresent()) { // the network learned the standardized target: explain that
                var n = m.targetNormalizer().get();
                for (double[] row : y) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] = (row[i] - n.shift().get(i % n.shift().size())) / n.scale().get(i % n.scale().size());
                    }
                }
                spec.commandLine().getErr().printf(java.util.Locale.ROOT, "The model standardizes its target (mean %.6g, "
                        + "std %.6g); the derivation uses the standardized target.%n", n.shift().get(0), n.scale().get(0));
            }
            x = asTheModelTakes(m, x);
            lossSpec = m.loss();
            optimizerSpec = optimizerSpec(runOptimizer(registry), registry);
            RandomStreams random = new RandomStreams(0);
            trainer = new Trainer(m.network(), new LossFunction(registry.loss(lossSpec), Reduction.MEAN),
                    registry.optimizer(optimizerSpec), registry.activation(PluginSpec.of(m.predictionActivation())),
                    TrainingOptions.defaults(), random.next());
        }
        Map<String, Object> settings = ConfigBinder.toMap(ConfigBinder.bind(
                registry.provider(PluginKind.OPTIMIZER, optimizerSpec.type()), optimizerSpec.params()));
        var out = spec.commandLine().getOut();
        Object result;
        String written;
        try {
            if (x.length == 1 && denseOnly(trainer.network(), registry)) { // the seeds' networks, neuron by neuron
                Explanation e = Explainer.explain(trainer, x[0], y[0], formulas(registry), lossSpec.type(),
                        optimizerSpec.type(), settings);
                result = e;
                written = format == Format.markdown ? ExplanationRenderer.markdown(e, neurons, words)
                        : ExplanationRenderer.text(e, neurons, words);
            } else {
                Trace t = Tracer.trace(trainer, Tensor.of(trainer.network().dtype(), sample.withBatch(x.length), flat(x)),
                        Tensor.of(trainer.network().dtype(), Shape.of(y.length, y[0].length), flat(y)), registry,
                        lossSpec.type(), optimizerSpec.type(), settings);
                result = t;
                written = format == Format.markdown ? TraceRenderer.markdown(t, neurons, words)
                        : TraceRenderer.text(t, neurons, words);
            }
        } catch (IllegalArgumentException ex) {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
        requireFinite(result instanceof Explanation e1 ? e1.lossValue() : ((Trace) result).lossValue(),
                result instanceof Explanation e2 ? e2.lossAfter() : ((Trace) result).lossAfter());
        if (format == Format.json) {
            out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(result));
        } else {
            out.print(written);
        }
        return NnCommand.OK;
    }

    /**
     * A loss that is not a finite number explains nothing: before the step it comes from the
     * inputs or weights; after it, from a step too large (the update diverged).
     */
    private void requireFinite(double before, double after) {
        if (!Double.isFinite(before)) {
            throw new ParameterException(spec.commandLine(), "the loss of this --input and --target is " + before
                    + ": a value overflows the network. Give inputs nearer the training data.");
        }
        if (!Double.isFinite(after)) {
            throw new ParameterException(spec.commandLine(), "the loss after the update is " + after + " (before: "
                    + before + "): the step diverged. Give a smaller --lr.");
        }
    }

    /**
     * The samples as the model's network takes them: IDX pixels divided as training divided them,
     * then the model's normalizer, each value checked to stay within the model's number range.
     */
    private double[][] asTheModelTakes(Model m, double[][] x) throws dev.nnkit.io.InvalidFileException {
        if (m.pixelScale().isEmpty() && m.normalizer().isEmpty()) {
            return x;
        }
        Tensor t = Tensor.of(dev.nnkit.api.tensor.DType.FLOAT64, Shape.of(x.length, x[0].length), flat(x));
        if (m.pixelScale().isPresent()) {
            try {
                m.pixelScale().get().apply(t, List.of(), Path.of("--input"));
            } catch (dev.nnkit.io.InvalidFileException ex) {
                throw new ParameterException(spec.commandLine(), "--input, " + ex.place().replace("example", "sample")
                        .replace("feature", "value") + ": " + ex.problem());
            }
            spec.commandLine().getErr().println("The model divides its inputs by " + (long) m.pixelScale().get().divisor()
                    + " (it was trained on IDX images); the derivation starts from the divided input.");
        }
        if (m.normalizer().isPresent()) {
            m.normalizer().get().apply(t);
            double limit = m.network().dtype() == dev.nnkit.api.tensor.DType.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
            for (int i = 0; i < t.size(); i++) {
                if (!(Math.abs(t.get(i)) <= limit)) {
                    int cols = x[0].length;
                    throw new ParameterException(spec.commandLine(), "--input, " + (x.length > 1 ? "sample " + (i / cols + 1)
                            + ", " : "") + "value "
                            + (i % cols + 1) + " of " + cols + ": " + dev.nnkit.io.InvalidFileException.quote(input.get(i / cols).split(",", -1)[i % cols].strip()) + " becomes " + t.get(i)
                            + " after the model's normalizer (" + m.normalizer().get().type() + "), beyond the model's"
                            + " number range; give a value nearer the training data.");
                }
            }
            spec.commandLine().getErr().println("The model normalizes its inputs (" + m.normalizer().get().type()
                    + "); the derivation starts from the normalized input.");
        }
        double[][] out = new double[x.length][x[0].length];
        for (int i = 0; i < t.size(); i++) {
            out[i / x[0].length][i % x[0].length] = t.get(i);
        }
        return out;
    }

    /**
     * The shape of one sample of a config's network: data.inputShape, or for IDX images a square
     * one-channel image [1, s, s] of the values given, or else a row of them.
     */
    private Shape sampleShape(TrainingConfig cfg, int values) {
        int side = (int) Math.round(Math.sqrt(values));
        Shape sample = cfg.data().inputShape().orElse(cfg.data().format().equals("idx") && side * side == values
                ? Shape.of(1, side, side) : Shape.of(values));
        if (sample.size() != values) {
            throw new ParameterException(spec.commandLine(), "--input has " + values + " values per sample; the config's"
                    + " data.inputShape " + sample + " takes " + sample.size() + ".");
        }
        return sample;
    }

    /** Whether every stage is a dense layer or an activation: the seeds' networks, written neuron by neuron. */
    private static boolean denseOnly(Network network, PluginRegistry registry) {
        return network.stages().stream().allMatch(s -> s.spec().type().equals("dense")
                || registry.hasActivation(s.spec().type()));
    }

    private static double[] flat(double[][] rows) {
        return java.util.Arrays.stream(rows).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /**
     * Each option value is one sample: comma-separated plain decimals within {@code dtype} (the
     * rules of a CSV cell), every sample as long as the first.
     */
    private double[][] samples(String option, List<String> values, dev.nnkit.api.tensor.DType dtype) {
        double[][] rows = new double[values.size()][];
        for (int r = 0; r < rows.length; r++) {
            String[] cells = values.get(r).split(",", -1);
            rows[r] = new double[cells.length];
            for (int i = 0; i < cells.length; i++) {
                try {
                    rows[r][i] = dev.nnkit.io.csv.Decimals.parse(cells[i].strip(), dtype);
                } catch (IllegalArgumentException ex) {
                    throw new ParameterException(spec.commandLine(), option + (rows.length > 1 ? " " + (r + 1) : "")
                            + ", value " + (i + 1) + " of " + cells.length + ": " + ex.getMessage());
                }
            }
            if (rows[r].length != rows[0].length) {
                throw new ParameterException(spec.commandLine(), option + " " + (r + 1) + " has " + rows[r].length
                        + " values, the first " + rows[0].length + "; every sample has as many.");
            }
        }
        return rows;
    }

    /**
     * The optimizer the model was trained with, from its run's config.json (DIR/config.json, or the
     * one beside DIR when DIR is the run's model/ folder); sgd, said on stderr, when there is none.
     */
    private PluginSpec runOptimizer(PluginRegistry registry) {
        Path dir = source.model.toAbsolutePath().normalize();
        for (Path candidate : new Path[] {dir.resolve(RunConfig.FILE),
                dir.getParent() == null ? null : dir.getParent().resolve(RunConfig.FILE)}) {
            if (candidate != null && java.nio.file.Files.isRegularFile(candidate) && (candidate.getParent().equals(dir)
                    || java.nio.file.Files.isRegularFile(dir.resolve("model.json")))) {
                try {
                    return new TrainingConfigReader(registry).read(candidate).optimizer();
                } catch (java.io.IOException | RuntimeException ex) {
                    spec.commandLine().getErr().println("Could not read the run's optimizer from " + candidate + " ("
                            + ex.getMessage() + "); explaining an sgd step instead.");
                    return PluginSpec.of("sgd", "learningRate", 0.1);
                }
            }
        }
        if (optimizer == null) {
            spec.commandLine().getErr().println("The model has no run config.json beside it to take its optimizer from; "
                    + "explaining an sgd step (learning rate " + (learningRate != null ? learningRate : 0.1)
                    + "). Choose with --optimizer ID and --lr.");
        }
        return PluginSpec.of("sgd", "learningRate", 0.1);
    }

    /**
     * The targets as the loss takes them, where a target names a class: a class name of the model
     * (or, when no class has that name, a class index) becomes the index for a loss that takes
     * indices, and the one-hot row for a loss that takes one column per class.
     */
    private List<String> classTargets(Model m, PluginRegistry registry) {
        List<String> classes = m.labels().classes();
        if (classes.isEmpty()) {
            return target;
        }
        int outputs = m.network().outputSize();
        int width = registry.loss(m.loss()).targetWidth(outputs);
        List<String> out = new java.util.ArrayList<>();
        for (String t : target) {
            String v = t.strip();
            int k = classes.indexOf(v);
            if (k < 0 && v.matches("\\d{1,9}") && Integer.parseInt(v) < classes.size()) {
                k = Integer.parseInt(v);
            }
            if (k < 0 && !v.contains(",") && !v.matches("[-+0-9.eE]+")) {
                throw new ParameterException(spec.commandLine(), "--target " + t + ": the model's classes are "
                        + PrintableWriter.names(classes) + "; give one of them, its index, or the loss's target values.");
            }
            if (k < 0 || width != classes.size() && width != 1) {
                out.add(t);
            } else if (width == 1) {
                out.add(String.valueOf(k));
            } else {
                String[] row = new String[width];
                java.util.Arrays.fill(row, "0");
                row[k] = "1";
                out.add(String.join(",", row));
            }
        }
        return out;
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

    /** The network's parameters and buffers (a batch norm's running statistics), by state_dict name. */
    private static void load(Network network, Path file) throws java.io.IOException {
        Map<String, TensorSpec> expected = new LinkedHashMap<>();
        for (NamedParameter p : network.parameters()) {
            expected.put(p.name(), new TensorSpec(p.parameter().value().dtype(), p.parameter().value().shape()));
        }
        for (var b : network.buffers()) {
            expected.put(b.name(), new TensorSpec(b.buffer().value().dtype(), b.buffer().value().shape()));
        }
        Map<String, Tensor> w = Safetensors.read(file, expected, Safetensors.NonFinite.REJECT).tensors();
        for (NamedParameter p : network.parameters()) {
            p.parameter().value().copyFrom(w.get(p.name()));
        }
        for (var b : network.buffers()) {
            b.buffer().value().copyFrom(w.get(b.name()));
        }
    }
}
