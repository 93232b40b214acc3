package dev.nnkit.io.idx;

import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.io.InvalidFileException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (optionally gzip-compressed, detected by its
 * magic bytes): two zero bytes, a type code, the number of dimensions, each dimension as a
 * big-endian int, then the values. Every field is checked before anything is allocated, and the
 * data must end exactly where the dimensions say.
 *
 * <p>Values become float32; integers beyond 2²⁴ would lose precision, which IDX image and label
 * files never have.
 */
public final class IdxReader {
    /** Refuses files claiming more elements than this (about 1 GiB of floats). */
    public static final long MAX_ELEMENTS = 1L << 28;
    private static final int MAX_RANK = 8;

    private IdxReader() {
    }

    /** The file's values in a tensor of its dimensions. */
    public static Float32Tensor read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw)) : raw;
            return read(file, new DataInputStream(in));
        } catch (EOFException e) {
            throw new InvalidFileException(file, "", "the file ends before the data its header announces; it is truncated.");
        } catch (java.util.zip.ZipException e) {
            throw new InvalidFileException(file, "", "gzip data is corrupt (" + e.getMessage() + ").");
        }
    }

    private static Float32Tensor read(Path file, DataInputStream in) throws IOException {
        int zero0 = in.readUnsignedByte();
        int zero1 = in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int rank = in.readUnsignedByte();
        if (zero0 != 0 || zero1 != 0) {
            throw new InvalidFileException(file, "byte 0", String.format(
                    "magic number starts 0x%02x%02x, expected 0x0000; this is not an IDX file.", zero0, zero1));
        }
        ValueType vt = ValueType.of(type);
        if (vt == null) {
            throw new InvalidFileException(file, "byte 2", String.format("unknown IDX type code 0x%02x; expected one of "
                    + "0x08 (ubyte), 0x09 (byte), 0x0B (short), 0x0C (int), 0x0D (float), 0x0E (double).", type));
        }
        if (rank < 1 || rank > MAX_RANK) {
            throw new InvalidFileException(file, "byte 3", "the file claims " + rank + " dimensions; expected 1 to "
                    + MAX_RANK + ".");
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 1) {
                throw new InvalidFileException(file, "byte " + (4 + 4 * i), "dimension " + i + " is " + dims[i]
                        + "; every dimension must be at least 1.");
            }
            count *= dims[i];
            if (count > MAX_ELEMENTS) {
                throw new InvalidFileException(file, "byte " + (4 + 4 * i), "the dimensions claim more than "
                        + MAX_ELEMENTS + " values; refusing to allocate that much.");
            }
        }
        float[] data = new float[(int) count];
        for (int i = 0; i < data.length; i++) {
            data[i] = vt.read(in);
        }
        if (in.read() != -1) {
            throw new InvalidFileException(file, "value " + count, "extra bytes after the " + count
                    + " values the header announces; the file is corrupt or its dimensions are wrong.");
        }
        return new Float32Tensor(Shape.of(dims), data);
    }

    private enum ValueType {
        UBYTE(0x08), BYTE(0x09), SHORT(0x0B), INT(0x0C), FLOAT(0x0D), DOUBLE(0x0E);

        private final int code;

        ValueType(int code) {
            this.code = code;
        }

        static ValueType of(int code) {
            for (ValueType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }

        float read(DataInputStream in) throws IOException {
            return switch (this) {
                case UBYTE -> in.readUnsignedByte();
                case BYTE -> in.readByte();
                case SHORT -> in.readShort();
                case INT -> in.readInt();
                case FLOAT -> in.readFloat();
                case DOUBLE -> (float) in.readDouble();
            };
        }
    }
}
