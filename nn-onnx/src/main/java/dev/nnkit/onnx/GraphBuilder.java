package dev.nnkit.onnx;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.onnx.proto.OnnxProto.AttributeProto;
import dev.nnkit.onnx.proto.OnnxProto.GraphProto;
import dev.nnkit.onnx.proto.OnnxProto.NodeProto;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@link OnnxGraph} behind an export: nodes and initializers go into a {@link GraphProto}.
 * Names carry the stage they belong to ({@code stage3/weight}), so the graph reads like the
 * network in Netron or in an error message.
 */
final class GraphBuilder implements OnnxGraph {
    private final GraphProto.Builder graph;
    private final DType dtype;
    private final Map<String, Integer> used = new HashMap<>();
    private final java.util.Set<String> defined = new java.util.HashSet<>();
    private final Map<Double, String> scalars = new HashMap<>();
    private String scope = "";

    GraphBuilder(GraphProto.Builder graph, DType dtype) {
        this.graph = graph;
        this.dtype = dtype;
    }

    /** Names made from now on start with {@code scope/} (empty: no prefix). */
    void scope(String scope) {
        this.scope = scope.isEmpty() ? "" : scope + "/";
    }

    /** A name no value of the graph has yet, made from {@code hint}. */
    String fresh(String hint) {
        String base = scope + hint;
        int n = used.merge(base, 1, Integer::sum);
        String name = n == 1 ? base : base + "_" + n;
        defined.add(name);
        return name;
    }

    /** Whether a node, constant or the graph's input defines {@code name}. */
    boolean defines(String name) {
        return defined.contains(name);
    }

    /** Marks a name as taken (the graph's input). */
    void reserve(String name) {
        used.put(name, 1);
        defined.add(name);
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public String constant(String hint, Tensor value) {
        double[] values = new double[value.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value.get(i);
        }
        return constant(hint, value.shape(), values);
    }

    @Override
    public String constant(String hint, Shape shape, double... values) {
        String name = fresh(hint);
        graph.addInitializer(TensorProtos.floats(name, dtype, shape, values));
        return name;
    }

    /** A constant in a dtype other than the graph's (the double-precision steps of a float32 model). */
    String constant(String hint, DType type, Shape shape, double... values) {
        String name = fresh(hint);
        graph.addInitializer(TensorProtos.floats(name, type, shape, values));
        return name;
    }

    @Override
    public String scalar(double value) {
        return scalars.computeIfAbsent(value, v -> {
            String saved = scope;
            scope = "";
            String name = constant("scalar", Shape.scalar(), v);
            scope = saved;
            return name;
        });
    }

    @Override
    public String int64s(String hint, long... values) {
        String name = fresh(hint);
        graph.addInitializer(TensorProtos.int64s(name, values));
        return name;
    }

    @Override
    public Node node(String opType, String... inputs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType);
        for (String in : inputs) {
            if (!in.isEmpty() && !defined.contains(in)) { // "" leaves out an optional input, as ONNX allows
                throw new IllegalArgumentException("a " + opType + " node reads '" + in + "', which no earlier node or"
                        + " constant of the graph defines.");
            }
            node.addInput(in);
        }
        return new NodeBuilder(node);
    }

    private final class NodeBuilder implements Node {
        private final NodeProto.Builder node;

        NodeBuilder(NodeProto.Builder node) {
            this.node = node;
        }

        private Node add(AttributeProto.Builder a) {
            node.addAttribute(a);
            return this;
        }

        @Override
        public Node attribute(String name, long value) {
            return add(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value));
        }

        @Override
        public Node attribute(String name, float value) {
            return add(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value));
        }

        @Override
        public Node attribute(String name, long... values) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            for (long v : values) {
                a.addInts(v);
            }
            return add(a);
        }

        @Override
        public Node attribute(String name, String value) {
            return add(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                    .setS(com.google.protobuf.ByteString.copyFromUtf8(value)));
        }

        @Override
        public String output() {
            String out = fresh(node.getOpType().toLowerCase(java.util.Locale.ROOT));
            node.setName(out).addOutput(out);
            graph.addNode(node);
            return out;
        }
    }
}
