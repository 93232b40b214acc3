package dev.nnkit.onnx;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;

/**
 * The graph an {@link OnnxMapping} adds to: ONNX operators of the default domain at opset
 * {@link OnnxExporter#OPSET} (see the operator list at onnx.ai), and constants. Every value is
 * named by a string; the graph makes names unique, so a mapping may use plain hints such as
 * {@code "weight"}. Not thread-safe: one export at a time uses it.
 */
public interface OnnxGraph {

    /** The model's dtype: what every float tensor of the graph holds. */
    DType dtype();

    /** A constant holding {@code value}'s values in its shape, stored in {@link #dtype()}. */
    String constant(String hint, Tensor value);

    /** A constant of {@code shape} (without a batch dimension unless given) in {@link #dtype()}. */
    String constant(String hint, Shape shape, double... values);

    /** A scalar constant (shape {@code []}) in {@link #dtype()}: broadcasts against any value. */
    String scalar(double value);

    /** A 1-D int64 constant, such as the target shape of a {@code Reshape}. */
    String int64s(String hint, long... values);

    /** Starts a node of operator {@code opType} on the given input values. */
    Node node(String opType, String... inputs);

    /** A node being built: set its attributes, then take its output. */
    interface Node {
        /** An integer attribute. */
        Node attribute(String name, long value);

        /** A float attribute (ONNX stores it as float32). */
        Node attribute(String name, float value);

        /** A list-of-integers attribute, such as {@code kernel_shape}. */
        Node attribute(String name, long... values);

        /** A string attribute. */
        Node attribute(String name, String value);

        /** Adds the node with one output and returns that output's name. */
        String output();
    }
}
