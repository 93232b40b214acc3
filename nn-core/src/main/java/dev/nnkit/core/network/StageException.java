package dev.nnkit.core.network;

/**
 * A stage of a network spec that cannot be built: an unknown setting, or an input shape the layer
 * cannot take. The message names the stage, the shape it receives and the problem; {@link #stage()}
 * lets a config reader point at the stage's place in its file.
 */
public final class StageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int stage;

    public StageException(int stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    /** Index of the stage, from 0. */
    public int stage() {
        return stage;
    }
}
