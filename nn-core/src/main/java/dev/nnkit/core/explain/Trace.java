package dev.nnkit.core.explain;

import java.util.List;
import java.util.Map;

/**
 * Every value of one training step on a small batch, stage by stage, for a network of any layers
 * (convolution, pooling, batch norm, dropout, flatten, dense, activations, plugins): what each stage
 * took and gave, the gradients that flowed back through it, its parameters' gradients, its buffers
 * before and after, the loss, one optimizer update and the loss after it. Every value is read from
 * the engine's own buffers. Arrays hold a batch in row-major order ([n, c, y, x] for images).
 * Immutable by convention (arrays are copies owned by the record).
 *
 * @param batch N, the number of samples
 * @param inputShape one sample's shape
 * @param input the batch, N × inputShape
 * @param target the targets, N rows
 * @param stages every stage of the network, in order
 * @param loss the loss plugin's id
 * @param lossFormula its one-line formula
 * @param lossValue C before the update (the mean over the batch)
 * @param outputGradient ∂C/∂ŷ for every output value
 * @param update the optimizer step
 * @param lossAfter C after the update, same batch, in training mode (a dropout draws a new mask)
 */
public record Trace(int batch, int[] inputShape, double[] input, double[] target, List<StageTrace> stages, String loss,
                   String lossFormula, double lossValue, double[] outputGradient, Explanation.Update update,
                   double lossAfter) {

    /**
     * One stage of the step.
     *
     * @param index the stage's index in the network (its state_dict prefix)
     * @param type its plugin id
     * @param formula its plugin's one-line formula
     * @param settings its complete settings
     * @param inputShape one sample's input shape
     * @param outputShape one sample's output shape
     * @param input what it took, a⁽ˡ⁻¹⁾ (the network's input for stage 0)
     * @param output what it gave, a⁽ˡ⁾
     * @param outputGradient ∂C/∂a⁽ˡ⁾
     * @param inputGradient ∂C/∂a⁽ˡ⁻¹⁾ (empty for stage 0, whose input needs none)
     * @param parameters its parameters: value before the update and gradient
     * @param buffers its buffers before and after the step (running statistics)
     * @param internals values the layer kept for its backward pass that the explanation shows:
     *        {@code mask} (dropout's kept-and-scaled mask), {@code h'} (an element-wise
     *        activation's derivative at its input)
     */
    public record StageTrace(int index, String type, String formula, Map<String, Object> settings, int[] inputShape,
                             int[] outputShape, double[] input, double[] output, double[] outputGradient,
                             double[] inputGradient, List<ParameterValues> parameters, List<BufferValues> buffers,
                             Map<String, double[]> internals) {
        /** The parameter or buffer named {@code suffix} ("weight" for "0.weight"), if the stage has one. */
        public java.util.Optional<ParameterValues> parameter(String suffix) {
            return parameters.stream().filter(p -> p.name().endsWith("." + suffix)).findFirst();
        }

        public java.util.Optional<BufferValues> buffer(String suffix) {
            return buffers.stream().filter(p -> p.name().endsWith("." + suffix)).findFirst();
        }
    }

    /** A parameter by state_dict name: its value before the update and its gradient. */
    public record ParameterValues(String name, int[] shape, double[] value, double[] gradient) {
    }

    /** A buffer by state_dict name: its value before the step and after it. */
    public record BufferValues(String name, int[] shape, double[] before, double[] after) {
    }
}
