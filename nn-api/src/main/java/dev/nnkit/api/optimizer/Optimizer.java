package dev.nnkit.api.optimizer;

import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * Updates one parameter tensor in place from its gradient, e.g. plain SGD θ ← θ − η·g, or Adam
 * (Kingma and Ba, 2015) with bias-corrected moments.
 *
 * <p>Everything an optimizer remembers between steps lives in named per-parameter state slots
 * ({@link #stateSlots()}; PyTorch's names such as {@code exp_avg} where it has them), each a tensor
 * of the parameter's shape and dtype (or a float64 scalar, {@link #scalarStateSlots()}), created by
 * the engine and handed back at every step. The
 * optimizer object itself holds only its settings, so state saves, restores and checkpoints as
 * plain data.
 *
 * <p>Instances need not be thread-safe. No argument is {@code null}.
 */
public interface Optimizer {

    /** Names of the per-parameter state tensors, in a fixed order; empty for plain SGD. */
    List<String> stateSlots();

    /**
     * Names of per-parameter state values that are one number, not one per element (NAdam's
     * running μ product): each a float64 tensor of shape [1], zero before the first step. None by
     * default.
     */
    default List<String> scalarStateSlots() {
        return List.of();
    }

    /** The configured learning rate η, before any schedule. */
    double learningRate();

    /**
     * Applies one update to {@code value}.
     *
     * @param value the parameter θ, updated in place
     * @param gradient ∂L/∂θ (read only)
     * @param state this parameter's slots, zero before the first step
     * @param step the step number (from 1) and the learning rate to use now
     */
    void update(Tensor value, Tensor gradient, ParameterState state, StepContext step);

    /**
     * Whether the update of each element reads and writes that element alone (of the value, the
     * gradient and every per-element state slot) and nothing else that changes: true for SGD, Adam,
     * AdamW; false, the default, for optimizers with per-tensor quantities such as NAdam's running
     * product or a layer-wise norm. When true the engine may split a large parameter into ranges and
     * update them on several threads at once with {@link #updateRange}, which must then give the
     * same bits as {@link #update} (the TCK checks this).
     */
    default boolean elementwise() {
        return false;
    }

    /**
     * The update of elements [{@code from}, {@code to}) only; called, possibly on several threads at
     * once for disjoint ranges, only when {@link #elementwise()} is true. The step number and
     * learning rate are those of {@link StepContext}, passed as plain values so that splitting a
     * step allocates nothing.
     */
    default void updateRange(Tensor value, Tensor gradient, ParameterState state, long step, double learningRate,
                             int from, int to) {
        throw new UnsupportedOperationException(getClass().getName() + " does not update ranges: elementwise() is false.");
    }
}
