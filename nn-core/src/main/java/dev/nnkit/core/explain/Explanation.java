package dev.nnkit.core.explain;

import java.util.List;
import java.util.Map;

/**
 * Every number of one training step on one sample, as the seeds write it out by hand: the forward
 * pass layer by layer, the loss, the δ of every layer, every gradient, one optimizer update and
 * the loss after it. All values come from the engine's own forward, backward and update code.
 * Immutable (arrays are copies owned by the record).
 *
 * @param input x = a⁽⁰⁾
 * @param target y
 * @param layers layer l = 1 … L: a dense stage and the activation after it
 * @param loss the loss plugin's id
 * @param lossFormula the loss plugin's one-line formula
 * @param lossValue C before the update
 * @param outputGradient ∂C/∂ŷ, the gradient of the loss with respect to the network's output
 * @param update the optimizer step
 * @param lossAfter C after the update, same sample
 */
public record Explanation(double[] input, double[] target, List<Layer> layers, String loss, String lossFormula,
                          double lossValue, double[] outputGradient, Update update, double lossAfter) {

    /**
     * One layer l: z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾, a⁽ˡ⁾ = h(z⁽ˡ⁾), and its backward quantities.
     *
     * @param index l, from 1
     * @param weightName the state_dict name of W⁽ˡ⁾ ("0.weight")
     * @param biasName the state_dict name of b⁽ˡ⁾, or empty without bias
     * @param activation h's plugin id ("identity" when no activation follows)
     * @param activationFormula h's one-line formula
     * @param elementwise whether h acts on each element alone (then hPrime holds h′(z))
     * @param weights W⁽ˡ⁾ [units][inputs] before the update
     * @param bias b⁽ˡ⁾ before the update (empty without bias)
     * @param inputs a⁽ˡ⁻¹⁾
     * @param z z⁽ˡ⁾
     * @param a a⁽ˡ⁾
     * @param hPrime h′(z⁽ˡ⁾) for element-wise h (empty otherwise)
     * @param outputGradient ∂C/∂a⁽ˡ⁾
     * @param delta δ⁽ˡ⁾ = ∂C/∂z⁽ˡ⁾
     * @param weightGradient ∂C/∂W⁽ˡ⁾ = δ⁽ˡ⁾ a⁽ˡ⁻¹⁾ᵀ
     * @param biasGradient ∂C/∂b⁽ˡ⁾ = δ⁽ˡ⁾ (empty without bias)
     */
    public record Layer(int index, String weightName, String biasName, String activation, String activationFormula,
                        boolean elementwise, double[][] weights, double[] bias, double[] inputs, double[] z, double[] a,
                        double[] hPrime, double[] outputGradient, double[] delta, double[][] weightGradient,
                        double[] biasGradient) {
    }

    /**
     * One optimizer step.
     *
     * @param optimizer the optimizer plugin's id
     * @param formula its one-line formula
     * @param settings its complete settings
     * @param learningRate η used for the step
     * @param step t, the step number
     * @param before every parameter before the step, by state_dict name
     * @param after every parameter after the step
     * @param state every parameter's optimizer state after the step, by slot name
     */
    public record Update(String optimizer, String formula, Map<String, Object> settings, double learningRate, long step,
                         Map<String, double[]> before, Map<String, double[]> after,
                         Map<String, Map<String, double[]>> state) {
    }
}
