package dev.nnkit.onnx;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.json.JsonValues;
import dev.nnkit.io.model.Model;
import dev.nnkit.onnx.proto.OnnxProto.GraphProto;
import dev.nnkit.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.nnkit.onnx.proto.OnnxProto.TensorProto;
import dev.nnkit.onnx.proto.OnnxProto.TensorShapeProto;
import dev.nnkit.onnx.proto.OnnxProto.TypeProto;
import dev.nnkit.onnx.proto.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What surrounds the network in the exported graph: the {@code features} input and what
 * {@link Model#predict} does before and after the network (pixel scale, normalizer, target
 * normalizer), the named outputs, and the metadata that carries the model's names.
 *
 * <p>nnkit normalizes in float64 and rounds the result to the model's dtype; a float32 graph
 * does the same (Cast to double, Sub, Div, Cast back), so its normalized inputs are nnkit's bits.
 */
final class ModelGraph {
    /** The graph's input: raw features. */
    static final String INPUT = "features";
    /** A classifier's outputs. */
    static final String PROBABILITIES = "probabilities";
    static final String LABEL = "label";
    /** A regression's output. */
    static final String PREDICTIONS = "predictions";

    private final Model model;
    private final GraphBuilder g;
    private final GraphProto.Builder proto;
    private final DType dtype;

    ModelGraph(Model model, GraphBuilder g, GraphProto.Builder proto) {
        this.model = model;
        this.g = g;
        this.proto = proto;
        this.dtype = g.dtype();
    }

    /** Declares {@code features} and adds the steps before the network; returns the network's input. */
    String input() {
        Shape shape = model.network().inputShape();
        proto.addInput(value(INPUT, dtype, shape, true));
        g.reserve(INPUT);
        if (model.pixelScale().isEmpty() && model.normalizer().isEmpty()) {
            return INPUT;
        }
        g.scope("input");
        String x = INPUT;
        if (model.pixelScale().isPresent()) { // x / 255, rounded to the dtype as the IDX reader rounds it
            x = toDtype(g.node("Div", toDouble(x), g.constant("divisor", DType.FLOAT64, Shape.scalar(),
                    model.pixelScale().get().divisor())).output());
        }
        if (model.normalizer().isPresent()) { // (x − shift) / scale
            Normalizer n = model.normalizer().get();
            String shifted = g.node("Sub", toDouble(x), g.constant("shift", DType.FLOAT64, shape, values(n.shift()))).output();
            x = toDtype(g.node("Div", shifted, g.constant("scale", DType.FLOAT64, shape, values(n.scale()))).output());
        }
        g.scope("");
        return x;
    }

    /** Adds the steps after the prediction activation and the graph's named outputs. */
    void outputs(String predictions) {
        g.scope("output");
        Shape out = model.network().outputShape();
        String y = predictions;
        if (model.targetNormalizer().isPresent()) { // ŷ·scale + shift, in the target's units
            Normalizer n = model.targetNormalizer().get();
            String scaled = g.node("Mul", toDouble(y), g.constant("target_scale", DType.FLOAT64, out, values(n.scale()))).output();
            y = toDtype(g.node("Add", scaled, g.constant("target_shift", DType.FLOAT64, out, values(n.shift()))).output());
        }
        List<String> classes = model.labels().classes();
        if (classes.isEmpty()) {
            named(y, PREDICTIONS, Shape.of(out.size()));
        } else {
            boolean single = out.size() == 1; // one sigmoid output: p(class 1); nn predict prints [1 − p, p]
            String p = single ? g.node("Concat", g.node("Sub", g.scalar(1), y).output(), y).attribute("axis", 1L).output() : y;
            named(p, PROBABILITIES, Shape.of(Math.max(out.size(), 2)));
            // nnkit picks the first of equal probabilities, and class 1 at p = 0.5 exactly
            String label = g.node("ArgMax", PROBABILITIES).attribute("axis", 1L).attribute("keepdims", 0L)
                    .attribute("select_last_index", single ? 1L : 0L).output();
            proto.addNode(dev.nnkit.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("Identity").setName(LABEL)
                    .addInput(label).addOutput(LABEL));
            proto.addOutput(value(LABEL, TensorProto.DataType.INT64, Shape.of()));
        }
        g.scope("");
    }

    private void named(String value, String name, Shape shape) {
        g.reserve(name);
        proto.addNode(dev.nnkit.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("Identity").setName(name)
                .addInput(value).addOutput(name));
        proto.addOutput(value(name, dtype, shape, true));
    }

    /** The names a user of the ONNX file needs, as JSON where they are lists. */
    List<StringStringEntryProto> metadata() {
        Map<String, String> m = new TreeMap<>();
        Model.Labels l = model.labels();
        if (!l.classes().isEmpty()) {
            m.put("classes", JsonValues.write(l.classes()));
        }
        if (!l.features().isEmpty()) {
            m.put("features", JsonValues.write(l.features()));
        }
        if (!l.target().isEmpty()) {
            m.put("target", l.target());
        }
        m.put("dtype", dtype.id());
        if (dtype != model.network().dtype()) {
            m.put("trained_dtype", model.network().dtype().id());
        }
        m.put("prediction_activation", model.predictionActivation());
        model.normalizer().ifPresent(n -> m.put("normalizer", n.type())); // applied in the graph, as the next two
        model.pixelScale().ifPresent(s -> m.put("pixel_scale", String.valueOf((long) s.divisor())));
        model.columns().filter(c -> c.encodes()).ifPresent(c -> m.put("columns", JsonValues.write(c.toMap())));
        model.provenance().forEach((k, v) -> m.put("provenance." + k, v));
        List<StringStringEntryProto> list = new ArrayList<>();
        m.forEach((k, v) -> list.add(StringStringEntryProto.newBuilder().setKey(k).setValue(v).build()));
        return list;
    }

    /** What the input takes, for a person: "features [batch, 4], float32: raw values; the graph standardizes them". */
    String inputText() {
        String what;
        if (model.columns().filter(c -> c.encodes()).isPresent()) {
            what = "the encoded features (category columns one-hot, missing cells filled; see the metadata's columns)";
        } else if (model.pixelScale().isPresent()) {
            what = "raw 0-255 pixels; the graph divides them by " + (long) model.pixelScale().get().divisor();
        } else {
            what = "raw values";
        }
        String normalizer = model.normalizer().map(n -> "the graph " + (n.type().equals("standardize") ? "standardizes"
                : "min-max scales") + " them").orElse("");
        if (!normalizer.isEmpty()) {
            what += (what.contains("; the graph") ? " and " + normalizer.substring("the graph ".length()) : "; " + normalizer);
        }
        return INPUT + " " + shapeText(model.network().inputShape()) + ", " + dtype.id() + ": " + what;
    }

    /** What the outputs are, for a person. */
    String outputText() {
        List<String> classes = model.labels().classes();
        if (classes.isEmpty()) {
            return PREDICTIONS + " [batch, " + model.network().outputShape().size() + "]"
                    + (model.targetNormalizer().isPresent() ? " in the target's units" : "");
        }
        return PROBABILITIES + " [batch, " + Math.max(2, model.network().outputShape().size()) + "] and " + LABEL
                + " [batch] (int64, an index into the metadata's classes)";
    }

    String description() {
        return "An nnkit model. Input: " + inputText() + ". Output: " + outputText() + ".";
    }

    String libraryVersion() {
        Module m = OnnxExporter.class.getModule();
        String v = m.isNamed() ? m.getDescriptor().rawVersion().orElse(null)
                : OnnxExporter.class.getPackage().getImplementationVersion();
        return v != null ? v : "unknown";
    }

    private static String shapeText(Shape s) {
        StringBuilder b = new StringBuilder("[batch");
        for (int d : s.dims()) {
            b.append(", ").append(d);
        }
        return b.append(']').toString();
    }

    private String toDouble(String x) {
        return dtype == DType.FLOAT64 ? x : g.node("Cast", x).attribute("to", (long) TensorProto.DataType.DOUBLE_VALUE).output();
    }

    private String toDtype(String x) {
        return dtype == DType.FLOAT64 ? x : g.node("Cast", x).attribute("to", (long) TensorProto.DataType.FLOAT_VALUE).output();
    }

    private static double[] values(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static ValueInfoProto value(String name, DType dtype, Shape sample, boolean batch) {
        return value(name, TensorProtos.type(dtype), sample);
    }

    /** A value of {@code [batch, ...sample]}, the batch dimension named so any batch size fits. */
    private static ValueInfoProto value(String name, TensorProto.DataType type, Shape sample) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (int d : sample.dims()) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }
}
