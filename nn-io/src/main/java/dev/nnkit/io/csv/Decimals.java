package dev.nnkit.io.csv;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.io.InvalidFileException;
import java.util.regex.Pattern;

/**
 * The numbers nnkit reads from people, as CSV cells are read: plain decimals only (3, -0.25,
 * 1.5e-3), finite, and within float32's range for float32 models. No hexadecimal (0x1p2), no
 * Java suffixes (3d), no NaN or Infinity.
 */
public final class Decimals {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(?i:nan|inf|infinity)");

    private Decimals() {
    }

    /**
     * {@code text} as a number of {@code dtype}.
     *
     * @throws IllegalArgumentException saying, after the quoted value, why it is refused and what to write
     */
    public static double parse(String text, DType dtype) {
        String q = InvalidFileException.quote(text);
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the value is empty; write a number such as 3, -0.25 or 1.5e-3.");
        }
        if (NON_FINITE.matcher(text).matches()) {
            throw new IllegalArgumentException(q + " is not a finite number; write a number such as 3, -0.25 or 1.5e-3.");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException(q + " is not a number; write plain decimals such as 3, -0.25 or 1.5e-3.");
        }
        double v = Double.parseDouble(text);
        if (Double.isInfinite(v)) {
            throw new IllegalArgumentException(q + " is too large for a number (beyond ±1.8e308).");
        }
        if (dtype == DType.FLOAT32 && Math.abs(v) > Float.MAX_VALUE) {
            throw new IllegalArgumentException(q + " is beyond float32's range (±3.4e38), the model's number type.");
        }
        return v;
    }
}
