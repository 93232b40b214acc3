package dev.nnkit.io.idx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.io.InvalidFileException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("IdxReader")
class IdxReaderTest {
    @TempDir
    Path dir;

    static byte[] idx(int type, int[] dims, byte[] payload) throws IOException {
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

    Path file(String name, byte[] content, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(content);
        }
        return p;
    }

    @Test
    @DisplayName("reads unsigned bytes, plain or gzip-compressed, into a tensor of the file's dimensions")
    void readsUnsignedBytes() throws IOException {
        byte[] data = idx(0x08, new int[] {2, 3}, new byte[] {0, 1, 2, (byte) 200, (byte) 255, 7});
        for (boolean gzip : new boolean[] {false, true}) {
            Float32Tensor t = IdxReader.read(file("a" + gzip, data, gzip));
            assertThat(t.shape()).isEqualTo(Shape.of(2, 3));
            assertThat(t.data()).containsExactly(0, 1, 2, 200, 255, 7);
        }
    }

    @Test
    @DisplayName("reads big-endian floats and doubles")
    void readsFloats() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new DataOutputStream(b).writeDouble(-1.5);
        assertThat(IdxReader.read(file("d", idx(0x0E, new int[] {1}, b.toByteArray()), false)).data()).containsExactly(-1.5f);
    }

    @Test
    @DisplayName("divides as it reads: every byte value, signed or unsigned, and floats give (float) (v / divisor)")
    void dividesAsItReads() throws IOException {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        for (int type : new int[] {0x08, 0x09}) {
            Path p = file("all" + type, idx(type, new int[] {256}, all), true);
            float[] plain = IdxReader.read(p).data();
            float[] divided = IdxReader.read(p, 255).data();
            for (int b = 0; b < 256; b++) {
                assertThat(plain[b]).isEqualTo(type == 0x08 ? b : (byte) b);
                assertThat(divided[b]).as("byte %d of type %d", b, type).isEqualTo((float) (plain[b] / 255.0));
            }
            assertThat(IdxReader.read(p, 1).data()).containsExactly(plain);
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new DataOutputStream(b).writeFloat(0.3f);
        assertThat(IdxReader.read(file("f", idx(0x0D, new int[] {1}, b.toByteArray()), false), 7).data())
                .containsExactly((float) (0.3f / 7.0));
        assertThatThrownBy(() -> IdxReader.read(file("z", all, false), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a large file read ahead in chunks: the same values, and truncated, short or corrupt gzip data refused")
    void largeFiles() throws IOException {
        int n = 700_001; // about three chunks of the read-ahead thread
        byte[] pixels = new byte[n];
        new java.util.SplittableRandom(3).nextBytes(pixels);
        byte[] data = idx(0x08, new int[] {n}, pixels);
        float[] read = IdxReader.read(file("big", data, true)).data();
        for (int i = 0; i < n; i++) {
            assertThat(read[i]).isEqualTo(pixels[i] & 0xFF);
        }
        byte[] gz = gzip(data);
        expect(Arrays.copyOf(gz, gz.length / 2), "the file ends before the data its header announces; it is truncated");
        expect(gzip(Arrays.copyOf(data, data.length - 5)), "but the data ends after " + (n - 5) + "; it is truncated");
        expect(gzip(Arrays.copyOf(data, data.length + 3)), "extra bytes after the " + n + " values");
        byte[] corrupt = gz.clone();
        for (int i = gz.length / 3; i < gz.length / 3 + 64; i++) {
            corrupt[i] = (byte) 0xFF;
        }
        expect(corrupt, "gzip data is corrupt");
    }

    @Test
    @DisplayName("rejects hostile or malformed files with a specific message")
    void rejects() throws IOException {
        expect(new byte[] {1, 0, 8, 1, 0, 0, 0, 1, 5}, "at byte 0: not an IDX file: the file starts with bytes 01 00 08 01");
        expect(idx(0x07, new int[] {1}, new byte[] {1}), "at byte 2: unknown IDX type code 0x07");
        expect(idx(0x08, new int[] {}, new byte[0]), "at byte 3: the file claims 0 dimensions");
        expect(idx(0x08, new int[] {3, 0}, new byte[0]), "at byte 8: dimension 1 is 0");
        expect(idx(0x08, new int[] {2}, new byte[] {1}), "the header announces 2 values of 1 byte (ubyte), 10 bytes with the header, but the file has 9 bytes; it is truncated");
        expect(idx(0x08, new int[] {1}, new byte[] {1, 2}), "the header announces 1 value of 1 byte (ubyte), 9 bytes with the header, but the file has 10 bytes; it has extra bytes");
        // 65536 × 65536 elements would be 16 GiB: refused before anything is allocated.
        expect(idx(0x08, new int[] {65536, 65536}, new byte[0]), "refusing to allocate that much");
        expect(new byte[] {0, 0}, "truncated");
        byte[] gz = Arrays.copyOf(gzip(idx(0x08, new int[] {1000}, new byte[1000])), 30);
        expect(gz, "the file ends before the data");
    }

    private void expect(byte[] content, String message) throws IOException {
        Path p = file("bad" + message.hashCode(), content, false);
        assertThatThrownBy(() -> IdxReader.read(p)).isInstanceOf(InvalidFileException.class)
                .hasMessageStartingWith(p.toString()).hasMessageContaining(message);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }
}
