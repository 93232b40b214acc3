/**
 * ONNX export: an nnkit model as an ONNX graph (opset 17) that takes raw features and returns
 * what {@code nn predict --probabilities} returns. Plugins map their own layers and activations
 * through {@link dev.nnkit.onnx.OnnxMapping}. The protobuf classes, generated from ONNX's schema,
 * stay inside this module.
 */
module dev.nnkit.onnx {
    requires transitive dev.nnkit.io;
    requires com.google.protobuf;

    exports dev.nnkit.onnx;

    uses dev.nnkit.onnx.OnnxMapping;
}
