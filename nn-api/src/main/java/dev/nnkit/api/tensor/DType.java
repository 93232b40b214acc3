package dev.nnkit.api.tensor;

import java.util.Locale;

/**
 * Element type of a {@link Tensor}.
 *
 * <p>{@code FLOAT32} is the default for training (speed, PyTorch parity); {@code FLOAT64} serves
 * gradient checks and users who need the precision. Plugins never branch on it: they read and
 * write elements as {@code double} through {@link Tensor#get(int)} and {@link Tensor#set(int, double)}.
 * Immutable and thread-safe.
 */
public enum DType {
    /** IEEE 754 binary32, 4 bytes per element. */
    FLOAT32(4),
    /** IEEE 754 binary64, 8 bytes per element. */
    FLOAT64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element: 4 or 8. */
    public int bytes() {
        return bytes;
    }

    /** The id used in config and model files: {@code float32} or {@code float64}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an id as written by {@link #id()}.
     *
     * @throws IllegalArgumentException naming the value and the allowed ids
     */
    public static DType fromId(String id) {
        for (DType t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown dtype '" + id + "'. Expected one of: float32, float64.");
    }
}
