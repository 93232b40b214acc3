package dev.nnkit.onnx;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.Map;

/**
 * One stage of the network as an {@link OnnxMapping} sees it.
 *
 * @param index the stage's index in the network (-1 for the model's prediction activation)
 * @param type the plugin id, such as {@code conv2d}
 * @param settings the stage's complete settings as model.json holds them
 * @param inputShape the per-sample input shape (the batch dimension is left out)
 * @param outputShape the per-sample output shape
 * @param dtype the model's dtype
 * @param parameters the trained parameters by name ({@code weight}, {@code bias}, …)
 * @param buffers the buffers by name ({@code running_mean}, …)
 * @param input the name of the value holding the stage's input, {@code [batch, ...inputShape]}
 */
public record OnnxStage(int index, String type, Map<String, Object> settings, Shape inputShape, Shape outputShape,
                        DType dtype, Map<String, Tensor> parameters, Map<String, Tensor> buffers, String input) {
    public OnnxStage {
        settings = Map.copyOf(settings);
        parameters = Map.copyOf(parameters);
        buffers = Map.copyOf(buffers);
    }

    /** A parameter the stage must have, such as {@code weight}. */
    public Tensor parameter(String name) {
        Tensor t = parameters.get(name);
        if (t == null) {
            throw new IllegalArgumentException("stage " + index + " (" + type + ") has no parameter '" + name
                    + "'; it has " + parameters.keySet() + ".");
        }
        return t;
    }

    /** A buffer the stage must have, such as {@code running_var}. */
    public Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) {
            throw new IllegalArgumentException("stage " + index + " (" + type + ") has no buffer '" + name
                    + "'; it has " + buffers.keySet() + ".");
        }
        return t;
    }
}
