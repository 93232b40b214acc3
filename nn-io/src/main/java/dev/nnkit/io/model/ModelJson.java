package dev.nnkit.io.model;

import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.plugin.PluginConfigException;
import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.network.Stage;
import dev.nnkit.core.plugin.PluginKind;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.plugin.UnknownPluginException;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.csv.Columns;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.data.PixelScale;
import dev.nnkit.io.json.JsonFields;
import dev.nnkit.io.json.JsonValues;
import dev.nnkit.io.json.StrictJson;
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
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * model.json: everything but the weights. Plugins appear by id with their complete settings;
 * nothing names a Java class.
 */
final class ModelJson {
    /** 2 gives the input as a shape ({@code "inputShape": [1, 28, 28]}); 1 gave a width ({@code "inputs": 784}). */
    /**
     * The newest format this nnkit reads. 3 adds {@code targetNormalizer} and {@code columns}; a
     * model without them is still written as 2, so older nnkit versions keep reading it, and one
     * with them is refused by them as too new rather than read wrongly.
     */
    static final int FORMAT_VERSION = 3;
    private static final Set<String> TOP = Set.of("format", "formatVersion", "network", "loss", "predictionActivation",
            "normalizer", "pixelScale", "targetNormalizer", "columns", "labels", "plugins", "provenance");

    private ModelJson() {
    }

    /** What model.json says, checked against the registry. */
    record Parsed(NetworkSpec network, PluginSpec loss, String predictionActivation, Optional<Normalizer> normalizer,
                  Optional<PixelScale> pixelScale, Model.Labels labels, Map<String, String> provenance,
                  Optional<Normalizer> targetNormalizer, Optional<Columns> columns) {
    }

    static byte[] write(Model m, PluginRegistry registry, Map<String, String> pluginVersions) {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("format", "nnkit-model");
        root.put("formatVersion", m.targetNormalizer().isPresent() || m.columns().isPresent() ? 3 : 2);
        ObjectNode net = root.putObject("network");
        ArrayNode inputShape = net.putArray("inputShape");
        for (int d : m.network().inputShape().dims()) {
            inputShape.add(d);
        }
        net.put("dtype", m.network().dtype().id());
        ArrayNode stages = net.putArray("stages");
        for (Stage s : m.network().stages()) {
            PluginKind kind = registry.hasActivation(s.spec().type()) ? PluginKind.ACTIVATION : PluginKind.LAYER;
            stages.add(plugin(s.spec(), registry.provider(kind, s.spec().type())));
        }
        root.set("loss", plugin(m.loss(), registry.provider(PluginKind.LOSS, m.loss().type())));
        root.put("predictionActivation", m.predictionActivation());
        m.normalizer().ifPresent(n -> {
            ObjectNode o = root.putObject("normalizer");
            o.put("type", n.type());
            JsonValues.put(o, "shift", n.shift());
            JsonValues.put(o, "scale", n.scale());
        });
        m.targetNormalizer().ifPresent(n -> {
            ObjectNode o = root.putObject("targetNormalizer");
            o.put("type", n.type());
            JsonValues.put(o, "shift", n.shift());
            JsonValues.put(o, "scale", n.scale());
        });
        m.columns().ifPresent(c -> root.set("columns", StrictJson.mapper().valueToTree(c.toMap())));
        m.pixelScale().ifPresent(p -> {
            ObjectNode o = root.putObject("pixelScale");
            o.put("divisor", p.divisor());
            o.put("wholeBytes", p.wholeBytes());
        });
        ObjectNode labels = root.putObject("labels");
        JsonValues.put(labels, "features", m.labels().features());
        labels.put("target", m.labels().target());
        JsonValues.put(labels, "classes", classNames(m.labels().classes(), m.network().outputShape().size()));
        ObjectNode plugins = root.putObject("plugins");
        pluginVersions.forEach(plugins::put);
        ObjectNode prov = root.putObject("provenance");
        m.provenance().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> prov.put(e.getKey(), e.getValue()));
        return StrictJson.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
    }

    /**
     * One name per output: a classifier trained on data in which the last classes never occur
     * (IDX labels 0 to 7 for 10 outputs) gets the numbers of the missing ones, so that every saved
     * model loads and predicts with a name for each class.
     */
    static List<String> classNames(List<String> classes, int outputs) {
        if (classes.isEmpty() || outputs == 1 || classes.size() >= outputs) {
            return classes;
        }
        List<String> out = new ArrayList<>(classes);
        for (int c = classes.size(); c < outputs; c++) {
            String name = String.valueOf(c);
            out.add(out.contains(name) ? "class " + c : name);
        }
        return out;
    }

    /** A plugin's id and its complete bound settings. */
    private static ObjectNode plugin(PluginSpec spec, PluginProvider<?, ?> provider) {
        ObjectNode o = StrictJson.mapper().createObjectNode();
        o.put("type", spec.type());
        ConfigBinder.toMap(ConfigBinder.bind(provider, spec.params())).forEach((k, v) -> JsonValues.put(o, k, v));
        return o;
    }

    static Parsed read(Path file, PluginRegistry registry) throws IOException {
        if (Files.size(file) > (4 << 20)) {
            throw new InvalidFileException(file, "", "model.json is over 4 MiB; a model description is a few KiB.");
        }
        JsonNode root = StrictJson.parse(file, dev.nnkit.io.files.InputFiles.readAll(file, 64 << 20, "model.json"), "");
        JsonValues.checkKeys(file, root, "", TOP);
        JsonNode format = root.get("format");
        if (format == null || !format.isString() || !format.asString().equals("nnkit-model")) {
            throw new InvalidFileException(file, "/format", "expected \"nnkit-model\"; this is not an nnkit model description.");
        }
        JsonNode version = root.get("formatVersion");
        // canConvertToLong first: asLong() on an integer beyond a long throws Jackson's own exception.
        if (version != null && version.isIntegralNumber() && (version.canConvertToLong() ? version.asLong() > FORMAT_VERSION
                : version.bigIntegerValue().signum() > 0)) {
            throw new NewerModelFormatException(file, "/formatVersion", version.canConvertToLong() ? version.asLong()
                    : Long.MAX_VALUE, FORMAT_VERSION, "this nnkit reads format versions 1 to " + FORMAT_VERSION
                    + "; the file says " + JsonFields.describe(version) + ". Upgrade nnkit to load it: a newer nnkit wrote it.");
        }
        if (version == null || !version.isIntegralNumber() || !version.canConvertToLong() || version.asLong() < 1) {
            throw new InvalidFileException(file, "/formatVersion", "this nnkit reads format versions 1 to " + FORMAT_VERSION
                    + "; the file says " + JsonFields.describe(version) + ". The file is corrupt.");
        }
        JsonNode net = required(file, root, "", "network");
        boolean shaped = version.asInt() >= 2;
        JsonValues.checkKeys(file, net, "/network", Set.of(shaped ? "inputShape" : "inputs", "dtype", "stages"));
        Shape inputShape = shaped ? inputShape(file, required(file, net, "/network", "inputShape"))
                : Shape.of(width(file, required(file, net, "/network", "inputs"), "/network/inputs"));
        DType dtype;
        try {
            dtype = DType.fromId(JsonFields.string(file, required(file, net, "/network", "dtype"), "/network/dtype"));
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(file, "/network/dtype", e.getMessage());
        }
        JsonNode stagesNode = required(file, net, "/network", "stages");
        if (!stagesNode.isArray() || stagesNode.isEmpty() || stagesNode.size() > 1000) {
            throw new InvalidFileException(file, "/network/stages", "expected 1 to 1000 stages.");
        }
        List<PluginSpec> stages = new ArrayList<>();
        for (int i = 0; i < stagesNode.size(); i++) {
            String pointer = "/network/stages/" + i;
            String type = type(file, stagesNode.get(i), pointer);
            stages.add(validated(file, stagesNode.get(i), pointer,
                    registry.hasActivation(type) ? PluginKind.ACTIVATION : PluginKind.LAYER, registry));
        }
        PluginSpec loss = validated(file, required(file, root, "", "loss"), "/loss", PluginKind.LOSS, registry);
        String prediction = JsonFields.string(file, required(file, root, "", "predictionActivation"), "/predictionActivation");
        if (!registry.hasActivation(prediction)) {
            throw new InvalidFileException(file, "/predictionActivation", "unknown activation '" + prediction + "'. Known: "
                    + String.join(", ", registry.ids(PluginKind.ACTIVATION)) + ".");
        }
        return new Parsed(new NetworkSpec(inputShape, stages, dtype), loss, prediction,
                normalizer(file, root.get("normalizer"), "/normalizer"), pixelScale(file, root.get("pixelScale")),
                labels(file, root.get("labels")),
                strings(file, root.get("provenance"), "/provenance"),
                normalizer(file, root.get("targetNormalizer"), "/targetNormalizer"),
                columns(file, root.get("columns")));
    }

    /** A per-sample shape: 1 to 8 dimensions of 1 to 16777216, at most 16777216 values in all. */
    private static Shape inputShape(Path file, JsonNode n) throws InvalidFileException {
        if (!n.isArray() || n.isEmpty() || n.size() > 8) {
            throw new InvalidFileException(file, "/network/inputShape", "expected an array of 1 to 8 dimensions, such as"
                    + " [4] or [1, 28, 28]; got " + JsonFields.describe(n) + ".");
        }
        int[] dims = new int[n.size()];
        long size = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = width(file, n.get(i), "/network/inputShape/" + i);
            size *= dims[i]; // checked at every step: each factor is at most 2^24, so this cannot overflow
            if (size > 1 << 24) {
                throw new InvalidFileException(file, "/network/inputShape", "a sample of more than 16777216 values"
                        + " (" + shortened(n) + ") is more than nnkit takes.");
            }
        }
        return Shape.of(dims);
    }

    private static String shortened(JsonNode n) {
        String text = n.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static int width(Path file, JsonNode n, String pointer) throws InvalidFileException {
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 1 || n.asLong() > 1 << 24) {
            throw new InvalidFileException(file, pointer, "expected a whole number from 1 to 16777216; got "
                    + JsonFields.describe(n) + ".");
        }
        return (int) n.asLong();
    }

    private static PluginSpec validated(Path file, JsonNode node, String pointer, PluginKind kind, PluginRegistry registry)
            throws InvalidFileException {
        String type = type(file, node, pointer);
        PluginProvider<?, ?> provider;
        try {
            // a stage: the layer lookup names the nearest layer or activation (or why a provider was skipped)
            provider = kind == PluginKind.LAYER ? registry.layer(type) : registry.provider(kind, type);
        } catch (UnknownPluginException e) {
            throw new ModelNeedsPluginException(file, pointer + "/type", kind, type, e.getMessage()
                    + " The model needs this plugin (for the nn command: put its jar in the distribution's plugins/ folder).");
        }
        PluginSpec spec = new PluginSpec(type, JsonValues.settings(file, node, pointer, Set.of("type")));
        try {
            ConfigBinder.bind(provider, spec.params());
        } catch (PluginConfigException e) {
            throw new InvalidFileException(file, e.key().isEmpty() ? pointer : pointer + "/" + e.key(), e.getMessage());
        }
        return spec;
    }

    private static String type(Path file, JsonNode node, String pointer) throws InvalidFileException {
        if (!node.isObject() || node.get("type") == null || !node.get("type").isString()) {
            throw new InvalidFileException(file, pointer, "expected an object with a string \"type\"; got "
                    + JsonFields.describe(node) + ".");
        }
        return node.get("type").asString();
    }

    /** How a CSV's columns become the features: each input column's name, categories and fill. */
    private static Optional<Columns> columns(Path file, JsonNode n) throws InvalidFileException {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        JsonValues.checkKeys(file, n, "/columns", Set.of("inputs", "missing", "unknownCategories"));
        JsonNode inputs = required(file, n, "/columns", "inputs");
        if (!inputs.isArray() || inputs.isEmpty() || inputs.size() > CsvTableReader.MAX_COLUMNS) {
            throw new InvalidFileException(file, "/columns/inputs", "expected an array of columns; got "
                    + JsonFields.describe(inputs) + ".");
        }
        List<Columns.Column> cols = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String at = "/columns/inputs/" + i;
            JsonNode c = inputs.get(i);
            if (!c.isObject()) {
                throw new InvalidFileException(file, at, "expected an object with \"name\"; got " + JsonFields.describe(c) + ".");
            }
            JsonValues.checkKeys(file, c, at, Set.of("name", "categories", "fill"));
            List<String> categories = new ArrayList<>();
            if (c.has("categories")) {
                JsonNode k = c.get("categories");
                if (!k.isArray() || k.isEmpty()) {
                    throw new InvalidFileException(file, at + "/categories", "expected a non-empty array of strings; got "
                            + JsonFields.describe(k) + ".");
                }
                for (int j = 0; j < k.size(); j++) {
                    String cat = JsonFields.string(file, k.get(j), at + "/categories/" + j);
                    if (categories.contains(cat)) {
                        throw new InvalidFileException(file, at + "/categories/" + j, "the category \"" + JsonFields.printable(cat)
                                + "\" appears twice.");
                    }
                    categories.add(cat);
                }
            }
            cols.add(new Columns.Column(JsonFields.string(file, required(file, c, at, "name"), at + "/name"), categories,
                    c.has("fill") ? JsonFields.string(file, c.get("fill"), at + "/fill") : ""));
        }
        String missing = JsonFields.string(file, required(file, n, "/columns", "missing"), "/columns/missing");
        if (!Columns.MISSING.contains(missing)) {
            throw new InvalidFileException(file, "/columns/missing", "expected one of " + Columns.MISSING + "; got \""
                    + JsonFields.printable(missing) + "\".");
        }
        String unknown = JsonFields.string(file, required(file, n, "/columns", "unknownCategories"),
                "/columns/unknownCategories");
        if (!unknown.equals("error") && !unknown.equals("ignore")) {
            throw new InvalidFileException(file, "/columns/unknownCategories", "expected \"error\" or \"ignore\"; got \""
                    + JsonFields.printable(unknown) + "\".");
        }
        return Optional.of(new Columns(cols, missing, unknown.equals("ignore")));
    }

    /** The input normalizer ({@code /normalizer}) or the target's ({@code /targetNormalizer}). */
    private static Optional<Normalizer> normalizer(Path file, JsonNode n, String at) throws InvalidFileException {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        JsonValues.checkKeys(file, n, at, Set.of("type", "shift", "scale"));
        try {
            return Optional.of(Normalizer.of(JsonFields.string(file, required(file, n, at, "type"), at + "/type"),
                    numbers(file, required(file, n, at, "shift"), at + "/shift"),
                    numbers(file, required(file, n, at, "scale"), at + "/scale")));
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(file, at, e.getMessage());
        }
    }

    private static Optional<PixelScale> pixelScale(Path file, JsonNode n) throws InvalidFileException {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        JsonValues.checkKeys(file, n, "/pixelScale", Set.of("divisor", "wholeBytes"));
        JsonNode divisor = required(file, n, "/pixelScale", "divisor");
        JsonNode whole = required(file, n, "/pixelScale", "wholeBytes");
        if (!divisor.isNumber() || !(divisor.asDouble() > 0) || Double.isInfinite(divisor.asDouble())) {
            throw new InvalidFileException(file, "/pixelScale/divisor", "expected a positive number (255 for IDX"
                    + " bytes); got " + JsonFields.describe(divisor) + ".");
        }
        if (!whole.isBoolean()) {
            throw new InvalidFileException(file, "/pixelScale/wholeBytes", "expected true or false; got "
                    + JsonFields.describe(whole) + ".");
        }
        return Optional.of(new PixelScale(divisor.asDouble(), whole.asBoolean()));
    }

    private static Model.Labels labels(Path file, JsonNode n) throws InvalidFileException {
        if (n == null || n.isNull()) {
            return new Model.Labels(List.of(), "", List.of());
        }
        JsonValues.checkKeys(file, n, "/labels", Set.of("features", "target", "classes"));
        return new Model.Labels(texts(file, n.get("features"), "/labels/features"),
                n.has("target") ? JsonFields.string(file, n.get("target"), "/labels/target") : "", texts(file, n.get("classes"), "/labels/classes"));
    }

    private static List<Double> numbers(Path file, JsonNode n, String pointer) throws InvalidFileException {
        if (!n.isArray()) {
            throw new InvalidFileException(file, pointer, "expected an array of numbers; got " + JsonFields.describe(n) + ".");
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(JsonFields.number(file, n.get(i), pointer + "/" + i));
        }
        return out;
    }

    private static List<String> texts(Path file, JsonNode n, String pointer) throws InvalidFileException {
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            throw new InvalidFileException(file, pointer, "expected an array of strings; got " + JsonFields.describe(n) + ".");
        }
        for (int i = 0; i < n.size(); i++) {
            out.add(JsonFields.string(file, n.get(i), pointer + "/" + i));
        }
        return out;
    }

    private static Map<String, String> strings(Path file, JsonNode n, String pointer) throws InvalidFileException {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!n.isObject()) {
            throw new InvalidFileException(file, pointer, "expected an object of strings; got " + JsonFields.describe(n) + ".");
        }
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            out.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString());
        }
        return out;
    }

    private static JsonNode required(Path file, JsonNode node, String pointer, String key) throws InvalidFileException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new InvalidFileException(file, pointer + "/" + key, "missing.");
        }
        return v;
    }
}
