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
        return read(file, 1);
    }

    /**
     * The file's values, each divided by {@code divisor} and rounded to float32 as it is read (for
     * images, so that 188 MB of pixels are not passed over a second time): {@code (float) (v / divisor)}
     * for every value v as {@link #read(Path)} gives it, so {@code divisor} 1 gives the same bits.
     */
    public static Float32Tensor read(Path file, double divisor) throws IOException {
        if (!(divisor > 0) || Double.isInfinite(divisor)) {
            throw new IllegalArgumentException("the divisor must be a positive finite number; got " + divisor + ".");
        }
        long size = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            // a 64 KB input buffer: the default 512 bytes made inflating Fashion-MNIST 20% slower
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)) : raw;
            return read(file, new DataInputStream(in), gzip, size, divisor);
        } catch (EOFException e) {
            throw new InvalidFileException(file, "", "the file ends before the data its header announces; it is truncated.");
        } catch (java.util.zip.ZipException e) {
            throw new InvalidFileException(file, "", "gzip data is corrupt (" + e.getMessage() + ").");
        }
    }

    /**
     * @param size the file's size in bytes, checked against the header before anything is
     *             allocated: exactly for a plain file; for gzip data, against the most that deflate
     *             can expand {@code size} bytes to ({@link #DEFLATE_RATIO}:1), so that a 96-byte
     *             file claiming 2²⁸ values is refused at once
     */
    private static Float32Tensor read(Path file, DataInputStream in, boolean gzip, long fileSize, double divisor)
            throws IOException {
        long size = gzip ? -1 : fileSize;
        byte[] magic = in.readNBytes(4);
        if (magic.length > 0 && magic.length < 4 && magic[0] == 0 && (magic.length < 2 || magic[1] == 0)) {
            throw new InvalidFileException(file, "", "the file ends inside the IDX header (" + magic.length
                    + " of at least 4 bytes); it is truncated.");
        }
        if (magic.length < 4 || magic[0] != 0 || magic[1] != 0) {
            throw new InvalidFileException(file, "byte 0", "not an IDX file: the file starts with bytes "
                    + startBytes(magic) + (size < 0 ? " (after gzip decompression)" : "")
                    + "; an IDX file starts with 00 00, a type code and the number of dimensions.");
        }
        int type = magic[2] & 0xff;
        int rank = magic[3] & 0xff;
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
                throw new InvalidFileException(file, "byte " + (4 + 4 * i), "the dimensions " + dimensions(dims, i + 1)
                        + " claim more than " + MAX_ELEMENTS + " values; refusing to allocate that much.");
            }
        }
        long expected = 4L + 4L * rank + count * vt.bytes;
        if (size >= 0 && size != expected) {
            throw new InvalidFileException(file, "", "the header announces " + values(dims, count)
                    + " of " + vt.bytes + " byte" + (vt.bytes > 1 ? "s" : "") + " (" + vt.name().toLowerCase(
                    java.util.Locale.ROOT) + "), " + expected + " bytes with the header, but the file has " + size
                    + " bytes; " + (size < expected ? "it is truncated or its header is wrong."
                    : "it has extra bytes: it is corrupt or its dimensions are wrong."));
        }
        if (gzip && expected > DEFLATE_RATIO * fileSize) {
            throw new InvalidFileException(file, "", "the header announces " + values(dims, count) + " of " + vt.bytes
                    + " byte" + (vt.bytes > 1 ? "s" : "") + ", " + expected + " bytes uncompressed, but gzip data of "
                    + fileSize + " bytes expands to at most " + DEFLATE_RATIO * fileSize + "; the file is truncated or its "
                    + "header is wrong.");
        }
        int itemSize = (int) (count / dims[0]);
        if (vt.bytes == 1) { // bytes are always finite: converted in blocks as they are read
            float[] data = readBytes(file, in, byteValues(vt == ValueType.UBYTE, divisor), dims, count);
            return finish(file, in, dims, count, data);
        }
        float[] data = new float[(int) count];
        for (int i = 0; i < count; i++) {
            float v;
            try {
                v = vt.read(in);
            } catch (EOFException e) {
                throw new InvalidFileException(file, "", "the header announces " + values(dims, count)
                        + " but the data ends after " + i + "; it is truncated or its header is wrong.");
            }
            if (!Float.isFinite(v)) {
                throw new InvalidFileException(file, place(i, itemSize), "the value is " + vt.describe(v)
                        + "; data must be finite numbers. Clean or drop the item.");
            }
            data[i] = divisor == 1 ? v : (float) (v / divisor);
        }
        return finish(file, in, dims, count, data);
    }

    /** Checks that the data ends where the header says. */
    private static Float32Tensor finish(Path file, DataInputStream in, int[] dims, long count, float[] data)
            throws IOException {
        if (in.read() != -1) {
            throw new InvalidFileException(file, "value " + count, "extra bytes after the " + count
                    + " values the header announces; the file is corrupt or its dimensions are wrong.");
        }
        return new Float32Tensor(Shape.of(dims), data);
    }

    /** What each byte value 0..255 becomes: the unsigned or signed value divided by {@code divisor}. */
    private static float[] byteValues(boolean unsigned, double divisor) {
        float[] values = new float[256];
        for (int b = 0; b < 256; b++) {
            float v = unsigned ? b : (byte) b;
            values[b] = divisor == 1 ? v : (float) (v / divisor);
        }
        return values;
    }

    /**
     * The {@code count} byte values, looked up in {@code values}. Another thread inflates and reads
     * while this one allocates the floats and converts what has arrived: the two overlap.
     */
    private static float[] readBytes(Path file, DataInputStream in, float[] values, int[] dims, long count)
            throws IOException {
        try (ReadAhead ahead = ReadAhead.start(in, (int) count)) {
            float[] data = new float[(int) count];
            byte[] bytes = null;
            for (int done = 0; done < count; ) {
                int ready;
                try {
                    ready = ahead.awaitBeyond(done);
                } catch (ReadAhead.Ended e) {
                    throw new InvalidFileException(file, "", "the header announces " + values(dims, count)
                            + " but the data ends after " + e.read + "; it is truncated or its header is wrong.");
                }
                bytes = bytes == null ? ahead.bytes() : bytes;
                for (int i = done; i < ready; i++) {
                    data[i] = values[bytes[i] & 0xFF];
                }
                done = ready;
            }
            return data;
        }
    }

    /** Deflate expands a byte to at most 1032 (258-byte matches at about 2 bits each); rounded up. */
    static final long DEFLATE_RATIO = 1040;

    private static String place(long i, int itemSize) {
        return itemSize == 1 ? "item " + i : "item " + i / itemSize + ", value " + i % itemSize;
    }

    /** "2 values", "60000 × 28 × 28 = 47040000 values". */
    private static String values(int[] dims, long count) {
        return (dims.length > 1 ? dimensions(dims, dims.length) + " = " : "") + count + (count == 1 ? " value" : " values");
    }

    private static String dimensions(int[] dims, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " × ").append(dims[i]);
        }
        return b.toString();
    }

    private static String startBytes(byte[] head) {
        StringBuilder b = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (byte x : head) {
            b.append(b.length() == 0 ? "" : " ").append(String.format("%02x", x & 0xff));
            text.append(x >= 0x20 && x < 0x7f ? (char) x : '.');
        }
        return b.length() == 0 ? "(none: it is empty)" : b + " (\"" + text + "\")";
    }

    private enum ValueType {
        UBYTE(0x08, 1), BYTE(0x09, 1), SHORT(0x0B, 2), INT(0x0C, 4), FLOAT(0x0D, 4), DOUBLE(0x0E, 8);

        private final int code;
        private final int bytes;

        ValueType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        /** A non-finite value read as this type, for messages. */
        String describe(float v) {
            return Float.isNaN(v) ? "NaN" : this == DOUBLE ? "infinite, or a double beyond float32's range (±3.4e38)"
                    : Float.toString(v);
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
                case DOUBLE -> {
                    double d = in.readDouble();
                    yield Double.isNaN(d) ? Float.NaN : (float) d;
                }
            };
        }
    }
}
