package dev.nnkit.api.optimizer;

import dev.nnkit.api.tensor.Tensor;

/**
 * The state slots of one parameter, by name. Mutable, owned by the engine, not thread-safe.
 */
@FunctionalInterface
public interface ParameterState {

    /**
     * The slot {@code name}, one of the optimizer's {@link Optimizer#stateSlots()} or
     * {@link Optimizer#scalarStateSlots()}.
     *
     * @throws IllegalArgumentException for a name the optimizer did not declare
     */
    Tensor slot(String name);
}
