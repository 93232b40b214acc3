package dev.nnkit.io.config;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.plugin.PluginConfigException;
import dev.nnkit.core.plugin.PluginKind;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.plugin.UnknownPluginException;
import dev.nnkit.core.train.EarlyStopping;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.json.JsonFields;
import dev.nnkit.io.json.JsonValues;
import dev.nnkit.io.json.StrictJson;
import dev.nnkit.io.csv.CsvTableReader.TargetKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads a training config (JSON) and checks every plugin id and setting against the registry, so
 * a mistake is reported with its JSON pointer and the nearest valid name before any data loads:
 * <pre>run.json at /optimizer/type: Unknown optimizer 'adma'. Did you mean 'adam'? Known: adam, sgd.</pre>
 * Duplicate keys are rejected, and the parser's limits are tight (a config is a small file).
 */
public final class TrainingConfigReader {
    private static final Set<String> TOP = Set.of("data", "dtype", "layers", "loss", "reduction", "optimizer", "schedule",
            "training", "writtenBy");
    private static final Set<String> DATA = Set.of("format", "train", "trainLabels", "validation", "validationLabels",
            "target", "labels", "normalize", "limit", "classNames", "inputShape", "validationSplit", "normalizeTarget",
            "features", "ignore", "missing", "unknownCategories");
    private static final long MAX_BYTES = 1 << 20;

    /** Binds the "training" section with the same machinery (and messages) as plugin settings. */
    private static final PluginProvider<TrainingOptions, Void> TRAINING = section("training", TrainingOptions.class,
            TrainingOptions.defaults());

    /** Binds "training.earlyStopping" likewise. */
    private static final PluginProvider<EarlyStopping, Void> EARLY_STOPPING = section("earlyStopping",
            EarlyStopping.class, EarlyStopping.defaults());

    /** A config section bound like a plugin's settings: its record, its defaults, and its name in messages. */
    private static <C extends Record> PluginProvider<C, Void> section(String id, Class<C> type, C defaults) {
        return new PluginProvider<>() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Class<C> configType() {
                return type;
            }

            @Override
            public C defaultConfig() {
                return defaults;
            }
        };
    }

    private final PluginRegistry registry;

    public TrainingConfigReader(PluginRegistry registry) {
        this.registry = registry;
    }

    public TrainingConfig read(Path file) throws IOException {
        return read(file, List.of());
    }

    /**
     * Reads a config (JSON, or YAML for {@code .yaml}/{@code .yml} files) after applying
     * {@code overrides}, each {@code path=value} with a dotted path ({@code optimizer.learningRate=0.01},
     * {@code layers.0.units=8}) and a JSON value (a bare word is a string).
     */
    public TrainingConfig read(Path file, List<String> overrides) throws IOException {
        return read(file, resolve(file, overrides));
    }

    /**
     * The config file's tree with {@code overrides} applied, unchecked: what a run records as its
     * resolved config. {@link #read(Path, JsonNode)} checks it.
     */
    public tools.jackson.databind.node.ObjectNode resolve(Path file, List<String> overrides) throws IOException {
        dev.nnkit.io.files.InputFiles.requireFile(file, "training config");
        if (Files.size(file) > MAX_BYTES) {
            throw new InvalidFileException(file, "", "a config is at most 1 MiB; this file has " + Files.size(file) + " bytes.");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        JsonNode root = name.endsWith(".yaml") || name.endsWith(".yml")
                ? StrictJson.parseYaml(file, dev.nnkit.io.files.InputFiles.readAll(file, MAX_BYTES, "training config"))
                : StrictJson.parse(file, dev.nnkit.io.files.InputFiles.readAll(file, MAX_BYTES, "training config"), "");
        if (root == null || !root.isObject()) {
            throw new InvalidFileException(file, "/", "a config is an object with \"data\", \"layers\", \"loss\", "
                    + "\"optimizer\" and \"training\".");
        }
        for (String o : overrides) {
            Overrides.apply((tools.jackson.databind.node.ObjectNode) root, o);
        }
        return (tools.jackson.databind.node.ObjectNode) root;
    }

    /**
     * Checks a config tree read from {@code file} (relative data paths are relative to its folder)
     * and binds every plugin and setting. A top-level {@code writtenBy} (where a run's saved
     * config came from) is ignored.
     */
    public TrainingConfig read(Path file, JsonNode root) throws InvalidFileException {
        return new Parser(file).parse(root);
    }

    private final class Parser {
        private final Path file;

        Parser(Path file) {
            this.file = file;
        }

        TrainingConfig parse(JsonNode root) throws InvalidFileException {
            JsonValues.checkKeys(file, root, "", TOP);
            JsonNode data = required(root, "", "data");
            JsonValues.checkKeys(file, data, "/data", DATA);
            DataSource source = dataSource(data, file.toAbsolutePath().getParent());
            DType dtype = DType.FLOAT32;
            if (root.has("dtype")) {
                try {
                    dtype = DType.fromId(string(root.get("dtype"), "/dtype"));
                } catch (IllegalArgumentException e) {
                    throw error("/dtype", e.getMessage());
                }
            }
            JsonNode layersNode = required(root, "", "layers");
            if (!layersNode.isArray() || layersNode.isEmpty()) {
                throw error("/layers", "expected a non-empty array of stages such as {\"type\": \"dense\", \"units\": 4}.");
            }
            List<PluginSpec> layers = new ArrayList<>();
            for (int i = 0; i < layersNode.size(); i++) {
                layers.add(stage(layersNode.get(i), "/layers/" + i));
            }
            PluginSpec loss = plugin(required(root, "", "loss"), "/loss", PluginKind.LOSS);
            PluginSpec optimizer = plugin(required(root, "", "optimizer"), "/optimizer", PluginKind.OPTIMIZER);
            PluginSpec schedule = root.has("schedule") ? plugin(root.get("schedule"), "/schedule", PluginKind.SCHEDULE)
                    : PluginSpec.of("constant");
            Reduction reduction = Reduction.MEAN;
            if (root.has("reduction")) {
                String r = string(root.get("reduction"), "/reduction");
                reduction = switch (r) {
                    case "mean" -> Reduction.MEAN;
                    case "sum" -> Reduction.SUM;
                    default -> throw error("/reduction", "expected \"mean\" or \"sum\"; got \"" + JsonFields.printable(r) + "\".");
                };
            }
            TrainingOptions options = TrainingOptions.defaults();
            Optional<EarlyStopping> earlyStopping = Optional.empty();
            if (root.has("training")) {
                // Every key by name first, so a misspelt "earlyStopping" gets its did-you-mean too.
                Set<String> keys = new java.util.HashSet<>(Set.of("earlyStopping"));
                for (java.lang.reflect.RecordComponent c : TrainingOptions.class.getRecordComponents()) {
                    keys.add(c.getName());
                }
                JsonNode training = root.get("training");
                if (training.isObject()) {
                    for (String key : training.propertyNames()) {
                        if (!keys.contains(key)) { // worded as the settings binder words it
                            String hint = dev.nnkit.api.plugin.Names.nearest(key, keys).map(n -> " Did you mean '" + n
                                    + "'?").orElse("");
                            throw error("/training/" + key, "Unknown setting '" + key + "' for 'training'." + hint
                                    + " Known: " + String.join(", ", new java.util.TreeSet<>(keys)) + ".");
                        }
                    }
                }
                options = bind(TRAINING, JsonValues.settings(file, root.get("training"), "/training",
                        Set.of("earlyStopping")), "/training");
                JsonNode es = root.get("training").get("earlyStopping");
                if (es != null) {
                    earlyStopping = Optional.of(bind(EARLY_STOPPING, JsonValues.settings(file, es,
                            "/training/earlyStopping", Set.of()), "/training/earlyStopping"));
                }
            }
            return new TrainingConfig(file, source, layers, dtype, loss, reduction,
                    optimizer, schedule, options, earlyStopping);
        }

        private DataSource dataSource(JsonNode data, Path dir) throws InvalidFileException {
            String format = optionalString(data, "/data", "format").orElse("csv");
            if (!format.equals("csv") && !format.equals("idx")) {
                throw error("/data/format", "expected \"csv\" or \"idx\"; got \"" + JsonFields.printable(format) + "\".");
            }
            Path train = dir.resolve(string(required(data, "/data", "train"), "/data/train"));
            Optional<Path> trainLabels = optionalString(data, "/data", "trainLabels").map(dir::resolve);
            Optional<Path> validation = optionalString(data, "/data", "validation").map(dir::resolve);
            Optional<Path> validationLabels = optionalString(data, "/data", "validationLabels").map(dir::resolve);
            if (format.equals("idx") && trainLabels.isEmpty()) {
                throw error("/data/trainLabels", "IDX data needs a labels file beside the images: add \"trainLabels\".");
            }
            if (format.equals("idx") && validation.isPresent() && validationLabels.isEmpty()) {
                throw error("/data/validationLabels", "IDX validation images need \"validationLabels\" too.");
            }
            TargetKind kind = switch (optionalString(data, "/data", "labels").orElse("auto")) {
                case "auto" -> TargetKind.AUTO;
                case "classes" -> TargetKind.CLASSES;
                case "numbers" -> TargetKind.NUMBERS;
                default -> throw error("/data/labels", "expected \"classes\", \"numbers\" or \"auto\"; got \""
                        + JsonFields.printable(data.get("labels").asString()) + "\".");
            };
            String normalize = optionalString(data, "/data", "normalize").orElse("none");
            if (!Set.of("none", "standardize", "min-max").contains(normalize)) {
                throw error("/data/normalize", "expected \"standardize\", \"min-max\" or \"none\"; got \"" + JsonFields.printable(normalize) + "\".");
            }
            int limit = Integer.MAX_VALUE;
            if (data.has("limit")) {
                limit = JsonFields.intValue(file, data.get("limit"), "/data/limit", 1, Integer.MAX_VALUE);
            }
            List<String> classNames = new ArrayList<>();
            if (data.has("classNames")) {
                JsonNode c = data.get("classNames");
                if (!c.isArray()) {
                    throw error("/data/classNames", "expected an array of names; got " + JsonFields.describe(c) + ".");
                }
                for (int i = 0; i < c.size(); i++) {
                    String name = string(c.get(i), "/data/classNames/" + i);
                    if (classNames.contains(name)) { // a model with the same name twice could not be loaded
                        throw error("/data/classNames/" + i, "the class name \"" + JsonFields.printable(name)
                                + "\" appears twice; every class needs its own name.");
                    }
                    classNames.add(name);
                }
            }
            Optional<Shape> inputShape = Optional.empty();
            if (data.has("inputShape")) {
                if (format.equals("idx")) {
                    throw error("/data/inputShape", "IDX images carry their shape ([1, height, width]); \"inputShape\""
                            + " is for CSV files. Remove it.");
                }
                inputShape = Optional.of(inputShape(data.get("inputShape")));
            }
            double validationSplit = 0;
            if (data.has("validationSplit")) {
                validationSplit = JsonFields.number(file, data.get("validationSplit"), "/data/validationSplit");
                if (!(validationSplit > 0 && validationSplit < 1)) {
                    throw error("/data/validationSplit", "expected the fraction of the training data to hold out, "
                            + "above 0 and below 1, such as 0.2; got " + data.get("validationSplit") + ".");
                }
                if (validation.isPresent()) {
                    throw error("/data/validationSplit", "the validation data comes from \"validation\" or from "
                            + "\"validationSplit\", not both; remove one.");
                }
            }
            String normalizeTarget = optionalString(data, "/data", "normalizeTarget").orElse("none");
            if (!Set.of("none", "standardize").contains(normalizeTarget)) {
                throw error("/data/normalizeTarget", "expected \"standardize\" or \"none\"; got \""
                        + JsonFields.printable(normalizeTarget) + "\".");
            }
            if (normalizeTarget.equals("standardize") && kind == TargetKind.CLASSES) {
                throw error("/data/normalizeTarget", "standardizing is for a numeric target, and \"labels\" says "
                        + "\"classes\"; remove \"normalizeTarget\", or say \"labels\": \"numbers\".");
            }
            return new DataSource(format, train, trainLabels, validation, validationLabels,
                    optionalString(data, "/data", "target"), kind, normalize, limit, classNames, inputShape,
                    validationSplit, normalizeTarget, columns(data, format));
        }

        /** data.features or data.ignore, data.missing and data.unknownCategories (CSV only). */
        private dev.nnkit.io.csv.Columns.Options columns(JsonNode data, String format) throws InvalidFileException {
            List<String> features = names(data, "features");
            List<String> ignore = names(data, "ignore");
            if (!features.isEmpty() && !ignore.isEmpty()) {
                throw error("/data/ignore", "\"features\" lists the columns to use and \"ignore\" the ones to leave "
                        + "out; give one of them.");
            }
            String missing = optionalString(data, "/data", "missing").orElse("error");
            if (!dev.nnkit.io.csv.Columns.MISSING.contains(missing)) {
                throw error("/data/missing", "expected \"mean\", \"median\", \"most-frequent\" or \"error\"; got \""
                        + JsonFields.printable(missing) + "\".");
            }
            String unknown = optionalString(data, "/data", "unknownCategories").orElse("error");
            if (!unknown.equals("error") && !unknown.equals("ignore")) {
                throw error("/data/unknownCategories", "expected \"ignore\" or \"error\"; got \""
                        + JsonFields.printable(unknown) + "\".");
            }
            if (format.equals("idx") && (data.has("features") || data.has("ignore") || data.has("missing")
                    || data.has("unknownCategories"))) {
                throw error("/data", "\"features\", \"ignore\", \"missing\" and \"unknownCategories\" choose and "
                        + "read CSV columns; IDX images have none. Remove them.");
            }
            return new dev.nnkit.io.csv.Columns.Options(features, ignore, missing, unknown.equals("ignore"));
        }

        private List<String> names(JsonNode data, String key) throws InvalidFileException {
            List<String> names = new ArrayList<>();
            if (!data.has(key)) {
                return names;
            }
            JsonNode n = data.get(key);
            if (!n.isArray() || n.isEmpty()) {
                throw error("/data/" + key, "expected a non-empty array of column names; got " + JsonFields.describe(n) + ".");
            }
            for (int i = 0; i < n.size(); i++) {
                String name = string(n.get(i), "/data/" + key + "/" + i);
                if (names.contains(name)) {
                    throw error("/data/" + key + "/" + i, "the column \"" + JsonFields.printable(name) + "\" is listed twice.");
                }
                names.add(name);
            }
            return names;
        }

        /** A CSV row's values as a sample shape, such as [1, 8, 8] for 64 pixel columns. */
        private Shape inputShape(JsonNode n) throws InvalidFileException {
            if (!n.isArray() || n.isEmpty() || n.size() > 8) {
                throw error("/data/inputShape", "expected an array of 1 to 8 dimensions, such as [1, 8, 8]; got "
                        + JsonFields.describe(n) + ".");
            }
            int[] dims = new int[n.size()];
            long size = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = JsonFields.intValue(file, n.get(i), "/data/inputShape/" + i, 1, 1 << 24);
                size *= dims[i];
                if (size > 1 << 24) {
                    throw error("/data/inputShape", "a sample of more than 16777216 values is more than nnkit takes.");
                }
            }
            return Shape.of(dims);
        }

        /** A stage as {"type": id, settings…}, or its bare id ("relu", or "- relu" in YAML) when it needs no settings. */
        private PluginSpec stage(JsonNode node, String pointer) throws InvalidFileException {
            String type = node.isString() ? node.asString() : string(required(node, pointer, "type"), pointer + "/type");
            if (registry.hasActivation(type)) {
                return plugin(node, pointer, PluginKind.ACTIVATION);
            }
            if (registry.ids(PluginKind.LAYER).contains(type)) {
                return plugin(node, pointer, PluginKind.LAYER);
            }
            throw error(node.isString() ? pointer : pointer + "/type", registry.unknownStage(type).getMessage());
        }

        /** A plugin as {"type": id, settings…} or just "id". */
        private PluginSpec plugin(JsonNode node, String pointer, PluginKind kind) throws InvalidFileException {
            if (node.isString()) {
                return validated(new PluginSpec(node.asString(), Map.of()), pointer, pointer, kind);
            }
            if (!node.isObject()) {
                throw error(pointer, "expected a plugin id or an object with \"type\"; got " + JsonFields.describe(node) + ".");
            }
            String type = string(required(node, pointer, "type"), pointer + "/type");
            return validated(new PluginSpec(type, JsonValues.settings(file, node, pointer, Set.of("type"))), pointer + "/type", pointer, kind);
        }

        private PluginSpec validated(PluginSpec spec, String typePointer, String pointer, PluginKind kind)
                throws InvalidFileException {
            PluginProvider<?, ?> provider;
            try {
                provider = registry.provider(kind, spec.type());
            } catch (UnknownPluginException e) {
                throw error(typePointer, e.getMessage());
            }
            bind(provider, spec.params(), pointer);
            return spec;
        }

        private <C extends Record> C bind(PluginProvider<C, ?> provider, Map<String, Object> params, String pointer)
                throws InvalidFileException {
            try {
                return ConfigBinder.bind(provider, params);
            } catch (PluginConfigException e) {
                throw error(e.key().isEmpty() ? pointer : pointer + "/" + e.key().replaceAll("\\[(\\d+)]", "/$1"), e.getMessage());
            }
        }

        private JsonNode required(JsonNode node, String pointer, String key) throws InvalidFileException {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw error(pointer + "/" + key, "missing; add \"" + key + "\".");
            }
            return v;
        }

        private Optional<String> optionalString(JsonNode node, String pointer, String key) throws InvalidFileException {
            return node.has(key) ? Optional.of(string(node.get(key), pointer + "/" + key)) : Optional.empty();
        }

        private String string(JsonNode v, String pointer) throws InvalidFileException {
            return JsonFields.string(file, v, pointer);
        }

        private InvalidFileException error(String pointer, String message) {
            return new InvalidFileException(file, pointer, message);
        }
    }
}
