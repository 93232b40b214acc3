package dev.nnkit.api.layer;

/**
 * Whether a network is being trained or asked for predictions, set by the engine for the whole
 * network (PyTorch's {@code .train()} / {@code .eval()}), never kept as a flag by a layer.
 *
 * <p>In {@link #TRAINING} a layer may draw random numbers (dropout), use batch statistics and
 * update its buffers (batch norm's running statistics); in {@link #INFERENCE} it must be a pure
 * function of its input, its parameters and its buffers, so one network can serve many threads.
 */
public enum Mode {
    /** A training step: forward, then backward. */
    TRAINING,
    /** Prediction or evaluation: forward only, deterministic, nothing written but the output. */
    INFERENCE
}
