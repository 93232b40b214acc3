package dev.nnkit.core.train;

/**
 * A saved training state (a checkpoint) that does not fit the network or optimizer it is resumed
 * into: a missing or extra tensor, another shape, other optimizer slots. The message names what
 * differs; nothing has been changed when it is thrown for the network's tensors.
 */
public final class StateMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public StateMismatchException(String message) {
        super(message);
    }
}
