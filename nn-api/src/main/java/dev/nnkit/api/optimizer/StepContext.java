package dev.nnkit.api.optimizer;

/**
 * Where an update happens in training. Immutable.
 *
 * @param step how many updates this parameter has had, counting this one (1 on the first)
 * @param learningRate the learning rate to apply now: the optimizer's own, or a schedule's value
 */
public record StepContext(long step, double learningRate) {
    public StepContext {
        if (step < 1) {
            throw new IllegalArgumentException("step counts from 1; got " + step + ".");
        }
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and ≥ 0; got " + learningRate + ".");
        }
    }
}
