package dev.nnkit.api.optimizer;

import dev.nnkit.api.tensor.Tensor;

/**
 * An {@link Optimizer} whose update of each element reads and writes that element alone (SGD, Adam,
 * RMSprop, …): implement {@link #updateRange}, and the whole-tensor {@link #update} and
 * {@link #elementwise()} follow. The engine then updates large parameters in ranges on all cores,
 * so {@code updateRange} must be safe to call concurrently on disjoint ranges.
 */
public interface ElementwiseOptimizer extends Optimizer {
    @Override
    default boolean elementwise() {
        return true;
    }

    @Override
    default void update(Tensor value, Tensor gradient, ParameterState state, StepContext step) {
        updateRange(value, gradient, state, step.step(), step.learningRate(), 0, value.size());
    }

    @Override
    void updateRange(Tensor value, Tensor gradient, ParameterState state, long step, double learningRate, int from, int to);
}
