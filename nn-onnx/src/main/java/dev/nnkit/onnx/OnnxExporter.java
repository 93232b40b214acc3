package dev.nnkit.onnx;

import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.api.layer.Buffer;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.Stage;
import dev.nnkit.core.plugin.PluginKind;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.model.Model;
import dev.nnkit.onnx.proto.OnnxProto.GraphProto;
import dev.nnkit.onnx.proto.OnnxProto.ModelProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.BiFunction;

/**
 * Writes an nnkit {@link Model} as an ONNX model (IR version {@value #IR_VERSION}, opset
 * {@value #OPSET}). The graph takes raw features, {@code features [batch, ...inputShape]} in the
 * model's dtype, and does what {@link Model#predict} does: the pixel scaling of a model trained on
 * IDX images and the normalizer (in float64, so a float32 model's inputs are normalized to the bit
 * as nnkit normalizes them), the network in inference mode, the prediction activation, and for a
 * regression trained on standardized targets the inverse transform. A classifier's graph returns
 * {@code probabilities [batch, classes]} (two columns for a single sigmoid output, as
 * {@code nn predict --probabilities} prints them) and {@code label [batch]}, the index of the
 * predicted class; a regression's returns {@code predictions [batch, outputs]}. The class and
 * feature names are in the model's metadata ({@link ModelGraph#metadata}). Thread-safe: each
 * export builds its own graph.
 */
public final class OnnxExporter {
    /** The ONNX operator set the graph is written for. */
    public static final int OPSET = 17;
    /** The ONNX IR version that goes with opset 17 (ONNX 1.12). */
    public static final int IR_VERSION = 8;
    /** The most weight bytes one file holds: protobuf messages stop at 2 GiB, and nnkit writes no external data files. */
    static final long MAX_WEIGHT_BYTES = Integer.MAX_VALUE - (64L << 20);

    private final PluginRegistry registry;
    private final Map<String, BiFunction<OnnxStage, GraphBuilder, String>> builtIns;
    private final Map<String, OnnxMapping> plugins;

    /** An exporter for models of the plugins {@link PluginRegistry#discover()} finds, with their mappings. */
    public static OnnxExporter discover() {
        return discover(PluginRegistry.discover());
    }

    /**
     * An exporter for models whose plugins {@code registry} knows, with the plugin mappings
     * {@link ServiceLoader} finds beside them.
     */
    public static OnnxExporter discover(PluginRegistry registry) {
        return new OnnxExporter(registry, ServiceLoader.load(OnnxMapping.class));
    }

    /**
     * An exporter with the given plugin mappings.
     *
     * @throws OnnxExportException when a mapping claims a built-in id or one another mapping claims,
     *     or a listed mapping cannot be loaded
     */
    public OnnxExporter(PluginRegistry registry, Iterable<? extends OnnxMapping> mappings) {
        this.registry = registry;
        LayerMappings.Settings settings = this::bind;
        Map<String, BiFunction<OnnxStage, GraphBuilder, String>> builtIn = new HashMap<>(LayerMappings.all(settings));
        builtIn.putAll(ActivationMappings.all(settings));
        this.builtIns = Map.copyOf(builtIn);
        Map<String, OnnxMapping> byId = new LinkedHashMap<>();
        try {
            for (OnnxMapping m : mappings) {
                claim(byId, m);
            }
        } catch (java.util.ServiceConfigurationError e) { // a services file naming a class that is missing or broken
            throw new OnnxExportException("An ONNX mapping cannot be loaded: " + e.getMessage() + ". Check the plugin jar"
                    + " whose META-INF/services/dev.nnkit.onnx.OnnxMapping lists it.", e);
        }
        this.plugins = Map.copyOf(byId);
    }

    /** Records the ids {@code m} maps, refusing a built-in id or one already claimed. */
    private void claim(Map<String, OnnxMapping> byId, OnnxMapping m) {
        for (String id : m.ids()) {
            if (builtIns.containsKey(id)) {
                throw new OnnxExportException("The ONNX mapping " + m.getClass().getName() + " claims '" + id
                        + "', which nnkit maps itself; remove '" + id + "' from its ids().");
            }
            OnnxMapping other = byId.putIfAbsent(id, m);
            if (other != null) {
                throw new OnnxExportException("Two ONNX mappings claim '" + id + "': " + other.getClass().getName()
                        + " and " + m.getClass().getName() + "; keep one of their jars.");
            }
        }
    }

    /**
     * An exported model: the ONNX bytes, what its input and outputs are (one line each, for a
     * person), and notes on what to watch out for when serving it (such as operators ONNX Runtime
     * has no float64 kernel for).
     */
    public record Exported(byte[] bytes, String input, String output, List<String> notes) {
        public Exported {
            notes = List.copyOf(notes);
        }
    }

    /** The ONNX model as bytes, in the model's dtype. */
    public byte[] toBytes(Model model) {
        return toBytes(model, model.network().dtype());
    }

    /** The model exported to compute in {@code dtype} (see {@link #toBytes(Model, DType)}), with its description. */
    public Exported export(Model model, DType dtype) {
        GraphProto.Builder proto = GraphProto.newBuilder().setName("nnkit");
        ModelGraph io = new ModelGraph(model, new GraphBuilder(proto, dtype), proto);
        ModelProto built = build(model, dtype, MAX_WEIGHT_BYTES);
        List<String> notes = new java.util.ArrayList<>();
        if (dtype == DType.FLOAT64) {
            java.util.Set<String> ops = new java.util.TreeSet<>();
            built.getGraph().getNodeList().forEach(n -> ops.add(n.getOpType()));
            ops.retainAll(List.of("Conv", "Erf"));
            if (!ops.isEmpty()) {
                notes.add("ONNX Runtime's CPU provider has no float64 " + String.join(" or ", ops) + " kernel, so it refuses"
                        + " this file; to serve the model there, export it as float32 (nn export --dtype float32).");
            }
        }
        if (model.columns().filter(c -> c.encodes()).isPresent()) {
            notes.add("this model encodes category columns or fills missing cells: the graph takes the encoded features"
                    + " (the metadata's features and columns say how; see docs/export.md).");
        }
        return new Exported(built.toByteArray(), io.inputText(), io.outputText(), notes);
    }

    /**
     * The ONNX model as bytes, computing in {@code dtype}: a float64 model exported as float32
     * has its weights and constants rounded to float32 (for runtimes without float64 kernels, such
     * as ONNX Runtime's CPU {@code Conv} and {@code Erf}).
     */
    public byte[] toBytes(Model model, DType dtype) {
        return build(model, dtype, MAX_WEIGHT_BYTES).toByteArray();
    }

    /**
     * Writes the ONNX model to {@code file}: into a temporary file beside it, then renamed into
     * place, so {@code file} holds the old bytes or the new ones, never a part (and a JVM stopped
     * by Ctrl-C leaves no temporary file).
     */
    public Exported write(Model model, Path file) throws IOException {
        return write(model, model.network().dtype(), file);
    }

    /** {@link #write(Model, Path)} computing in {@code dtype} (see {@link #toBytes(Model, DType)}). */
    public Exported write(Model model, DType dtype, Path file) throws IOException {
        Exported exported = export(model, dtype);
        AtomicFile.write(exported.bytes(), file);
        return exported;
    }

    ModelProto build(Model model, DType dtype, long maxWeightBytes) {
        long weights = 0;
        for (Stage s : model.network().stages()) {
            weights += s.layer().parameters().stream().mapToLong(p -> p.value().size()).sum()
                    + s.layer().buffers().stream().mapToLong(b -> b.value().size()).sum();
        }
        long bytes = weights * (dtype == DType.FLOAT32 ? 4 : 8);
        if (bytes > maxWeightBytes) {
            throw new OnnxExportException(String.format(java.util.Locale.ROOT, "Cannot export the model to ONNX: its %,d"
                    + " weights take %,d bytes in %s, and an ONNX file holds at most %,d (protobuf's 2 GiB limit; nnkit does"
                    + " not write ONNX's external data files).%s", weights, bytes, dtype.id(), maxWeightBytes,
                    dtype == DType.FLOAT64 && bytes / 2 <= maxWeightBytes ? " As float32 it fits: add --dtype float32." : ""));
        }
        GraphProto.Builder proto = GraphProto.newBuilder().setName("nnkit");
        GraphBuilder g = new GraphBuilder(proto, dtype);
        ModelGraph io = new ModelGraph(model, g, proto);
        String x = io.input();
        Network network = model.network();
        Shape shape = network.inputShape();
        for (int i = 0; i < network.stages().size(); i++) {
            Stage stage = network.stages().get(i);
            Map<String, Tensor> parameters = new HashMap<>();
            for (Parameter p : stage.layer().parameters()) {
                parameters.put(p.name(), p.value());
            }
            Map<String, Tensor> buffers = new HashMap<>();
            for (Buffer b : stage.layer().buffers()) {
                buffers.put(b.name(), b.value());
            }
            Shape out = stage.layer().outputShape();
            g.scope("stage" + i);
            x = map(new OnnxStage(i, stage.spec().type(), stage.spec().params(), shape, out, dtype, parameters,
                    buffers, x), g);
            shape = out;
        }
        g.scope("prediction");
        x = map(new OnnxStage(-1, model.predictionActivation(), Map.of(), shape, shape, dtype, Map.of(),
                Map.of(), x), g);
        g.scope("");
        io.outputs(x);
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("nnkit")
                .setProducerVersion(io.libraryVersion()).setDomain("dev.nnkit").setModelVersion(1)
                .setDocString(io.description())
                .addOpsetImport(dev.nnkit.onnx.proto.OnnxProto.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .addAllMetadataProps(io.metadata()).setGraph(proto).build();
    }

    private String map(OnnxStage s, GraphBuilder g) {
        String where = s.index() < 0 ? "the prediction activation '" + s.type() + "'"
                : "stage " + s.index() + " ('" + s.type() + "')";
        BiFunction<OnnxStage, GraphBuilder, String> builtIn = builtIns.get(s.type());
        OnnxMapping plugin = plugins.get(s.type());
        if (builtIn == null && plugin == null) {
            throw new OnnxExportException("Cannot export " + where + " to ONNX: no ONNX mapping for the plugin '" + s.type()
                    + "'. Its plugin can provide one: implement dev.nnkit.onnx.OnnxMapping (ids() returning \"" + s.type()
                    + "\", map() adding the ONNX operators that compute it) and register it in META-INF/services/"
                    + "dev.nnkit.onnx.OnnxMapping of the plugin's jar; see docs/export.md.");
        }
        try {
            String out = builtIn != null ? builtIn.apply(s, g) : plugin.map(s, g);
            if (out == null || !g.defines(out)) {
                throw new OnnxExportException("The ONNX mapping of " + where + " returned " + (out == null ? "no value"
                        : "'" + out + "', which no node or constant of the graph defines") + "; map() must return the name"
                        + " of the value it computed (the output() of its last node).");
            }
            return out;
        } catch (OnnxExportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OnnxExportException("Cannot export " + where + " to ONNX: " + e.getMessage(), e);
        }
    }

    private <C extends Record> C bind(OnnxStage s, Class<C> type) {
        PluginKind kind = registry.hasActivation(s.type()) ? PluginKind.ACTIVATION : PluginKind.LAYER;
        @SuppressWarnings("unchecked")
        PluginProvider<C, ?> provider = (PluginProvider<C, ?>) registry.provider(kind, s.type());
        return type.cast(ConfigBinder.bind(provider, s.settings()));
    }
}
