package dev.nnkit.io.data;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.io.InvalidFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * How a model trained on IDX images took its pixels: divided by {@link #divisor()} (255) as the
 * file was read, so the network saw values in [0, 1] as torchvision's {@code ToTensor()} gives
 * them. model.json records it so that the same images given later as a CSV are divided the same
 * way. Images of unsigned bytes (IDX type ubyte, as MNIST and Fashion-MNIST are) make the CSV's
 * values checkable: each must be a whole number from 0 to 255, so a CSV whose pixels were already
 * divided is refused instead of divided a second time (which would give confident wrong answers).
 *
 * @param divisor what every pixel is divided by
 * @param wholeBytes whether the training images held whole numbers 0–255 (IDX type ubyte)
 */
public record PixelScale(double divisor, boolean wholeBytes) {
    /** The IDX reader's scaling of unsigned-byte images. */
    public static final PixelScale UBYTE = new PixelScale(255, true);

    public PixelScale {
        if (!(divisor > 0) || Double.isInfinite(divisor)) {
            throw new IllegalArgumentException("the divisor must be a positive finite number; got " + divisor + ".");
        }
    }

    /**
     * Divides every value of {@code x} in place, each rounded to the tensor's type as the IDX
     * reader rounds it (so a CSV of an IDX file's pixels gives the bits the IDX file gives).
     *
     * @param featureNames the CSV's column names, for messages (may be empty)
     * @param file where the values came from, for messages
     * @throws InvalidFileException for a value that is not a pixel of such images, naming where it is
     */
    public void apply(Tensor x, List<String> featureNames, Path file) throws InvalidFileException {
        int cols = x.shape().cols();
        for (int i = 0; i < x.size(); i++) {
            double v = x.get(i);
            if (wholeBytes && !(v >= 0 && v <= 255 && v == Math.rint(v))) {
                int c = i % cols;
                throw new InvalidFileException(file, "example " + (i / cols + 1) + ", feature " + (c + 1)
                        + (c < featureNames.size() ? " (" + InvalidFileException.quote(featureNames.get(c)) + ")" : ""),
                        "the value " + shown(v, x) + " is not a pixel of the images this model was trained on: those are whole"
                        + " numbers from 0 to 255, which nnkit divides by " + (long) divisor + " itself. " + (v > 0 && v < 1
                        ? "The pixels look divided already: give the raw 0-255 values, not values scaled to [0, 1]."
                        : "Give the raw 0-255 pixel values."));
            }
            x.set(i, v / divisor);
        }
    }

    /** A value as the CSV most likely wrote it: 256, 0.004 (not 0.004000000189989805 for a float32). */
    private static String shown(double v, Tensor x) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return x.dtype() == dev.nnkit.api.tensor.DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v);
    }
}
