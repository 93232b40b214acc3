package dev.nnkit.onnx;

import java.util.Set;

/**
 * How a layer or activation plugin becomes ONNX nodes: the SPI a plugin implements so that
 * {@code nn export} can write models that use it. Discovered with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/dev.nnkit.onnx.OnnxMapping} file on the class path, or
 * {@code provides dev.nnkit.onnx.OnnxMapping with …} in a module), like the plugin itself.
 * nnkit's built-in layers and activations are mapped by nnkit; a mapping may not claim their ids.
 *
 * <p>A mapping adds nodes with {@link OnnxGraph} only, so it never touches protobuf classes.
 * It must compute, in the model's dtype, exactly what the plugin's inference-mode forward
 * computes; nnkit's tests compare the two through ONNX Runtime, and so should the plugin's.
 */
public interface OnnxMapping {

    /** The plugin ids (as in model.json's stages) this maps, such as {@code "hard-swish"}. */
    Set<String> ids();

    /**
     * Adds the nodes that compute one stage.
     *
     * @param stage the stage: its id, settings, shapes, parameters, buffers and input value
     * @param graph where to add nodes and constants
     * @return the name of the value holding the stage's output, {@code [batch, ...outputShape]}
     *     (the input's name itself for a stage that changes nothing at inference, such as dropout)
     */
    String map(OnnxStage stage, OnnxGraph graph);
}
