package dev.nnkit.io.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Float32Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images are scaled by 1/255 exactly as the division gives it, whether looked up or divided. */
class ScaledImagesTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("every byte value scales to (float) (b / 255.0), bit for bit")
    void bytesScaleAsTheDivision() throws Exception {
        byte[] pixels = new byte[256];
        byte[] labels = new byte[256];
        for (int b = 0; b < 256; b++) {
            pixels[b] = (byte) b;
        }
        float[] x = load(idx(0x08, new int[] {256, 1, 1}, pixels), idx(0x08, new int[] {256}, labels));
        for (int b = 0; b < 256; b++) {
            assertThat(Float.floatToRawIntBits(x[b])).as("pixel %d", b).isEqualTo(Float.floatToRawIntBits((float) (b / 255.0)));
        }
    }

    @Test
    @DisplayName("float images that are not whole bytes (-0, fractions, beyond 255, negatives) are divided")
    void otherValuesAreDivided() throws Exception {
        float[] values = {-0.0f, 0.5f, 255.5f, 256f, 1000f, -1f, -255f, 3f, 1e-30f};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (float v : values) {
            out.writeFloat(v);
        }
        float[] x = load(idx(0x0D, new int[] {values.length, 1, 1}, bytes.toByteArray()),
                idx(0x08, new int[] {values.length}, new byte[values.length]));
        for (int i = 0; i < values.length; i++) {
            assertThat(Float.floatToRawIntBits(x[i])).as("value %s", values[i])
                    .isEqualTo(Float.floatToRawIntBits((float) (values[i] / 255.0)));
        }
    }

    /** An IDX file: magic (type, rank), the dimensions, the values' bytes. */
    private static byte[] idx(int type, int[] dims, byte[] payload) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeShort(0);
        d.writeByte(type);
        d.writeByte(dims.length);
        for (int x : dims) {
            d.writeInt(x);
        }
        d.write(payload);
        return b.toByteArray();
    }

    private float[] load(byte[] images, byte[] labels) throws Exception {
        Path imageFile = Files.write(dir.resolve("images.idx"), images);
        Path labelFile = Files.write(dir.resolve("labels.idx"), labels);
        return ((Float32Tensor) Datasets.idxImages(imageFile, labelFile, Integer.MAX_VALUE, DType.FLOAT32).features()).data();
    }
}
