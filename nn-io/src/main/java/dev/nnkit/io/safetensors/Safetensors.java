package dev.nnkit.io.safetensors;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Float64Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.json.JsonFields;
import dev.nnkit.io.json.StrictJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A strict reader and writer of the safetensors format (Hugging Face): an 8-byte little-endian
 * header length N, N bytes of JSON mapping each tensor name to {dtype, shape, data_offsets} (and
 * an optional string-to-string "__metadata__"), then the raw little-endian data.
 *
 * <p>The reader trusts nothing: the header length is capped and must fit the file; sizes are
 * overflow-checked; offsets must be sorted, contiguous, non-overlapping and cover the data exactly,
 * with no trailing bytes; every tensor's dtype and shape must be what the model says, with none
 * missing and none extra; duplicate JSON keys are rejected; and non-finite values are rejected
 * unless the caller allows them. Only F32 and F64 are accepted, the dtypes nnkit computes in, and
 * I64 scalars (PyTorch keeps counts such as batch norm's {@code num_batches_tracked} so), read into
 * the model's dtype.
 */
public final class Safetensors {
    /** Headers above 16 MiB are refused: a real model's header is a few KiB. */
    public static final long MAX_HEADER_BYTES = 16L << 20;
    private static final String METADATA = "__metadata__";
    private static final Set<String> KNOWN_DTYPES = Set.of("F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8",
            "U64", "U32", "U16", "U8", "BOOL", "F8_E5M2", "F8_E4M3");

    /** What to do with NaN or infinite values in a file. */
    public enum NonFinite { REJECT, ALLOW }

    private Safetensors() {
    }

    /** A tensor's place in the file, after validation. */
    /** {@code int64}: an I64 scalar (a count, such as batch norm's num_batches_tracked), read into the model's dtype. */
    private record Entry(String name, DType dtype, Shape shape, long begin, long end, boolean int64) {
    }

    /** The file's contents: tensors by name (in file order) and its metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /**
     * Writes {@code tensors} in the given order, with {@code metadata}. The header is padded with
     * spaces to a multiple of 8 bytes, as the reference implementation does.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = StrictJson.mapper().createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject(METADATA);
            new java.util.TreeMap<>(metadata).forEach(m::put); // sorted: the same bytes from every JVM
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            ObjectNode n = header.putObject(e.getKey());
            n.put("dtype", t.dtype() == DType.FLOAT32 ? "F32" : "F64");
            var shape = n.putArray("shape");
            for (int d : t.shape().dims()) {
                shape.add(d);
            }
            long size = (long) t.size() * t.dtype().bytes();
            n.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = StrictJson.mapper().writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(head.array());
            for (Tensor t : tensors.values()) {
                out.write(bytes(t));
            }
        }
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(t.size() * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (t instanceof Float32Tensor f) {
            b.asFloatBuffer().put(f.data());
        } else {
            b.asDoubleBuffer().put(((Float64Tensor) t).data());
        }
        return b.array();
    }

    /**
     * Reads a file whose tensors must be exactly {@code expected} (names, dtypes, shapes).
     *
     * @throws InvalidFileException naming the file, the place and the problem
     */
    public static Contents read(Path file, Map<String, TensorSpec> expected, NonFinite nonFinite) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(ch, file, expected);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : h.entries()) {
                tensors.put(e.name(), load(ch, file, e, expected.get(e.name()).dtype(), h.dataStart(), nonFinite));
            }
            return new Contents(tensors, h.metadata());
        }
    }

    /**
     * Checks that the file holds exactly {@code expected} (names, dtypes, shapes, sizes) from its
     * header and length alone, reading no tensor: a model description's claims are checked
     * against its weights file before anything of their size is allocated.
     *
     * @throws InvalidFileException naming the file, the place and the problem
     */
    public static void check(Path file, Map<String, TensorSpec> expected) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            header(ch, file, expected);
        }
    }

    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    private static Header header(FileChannel ch, Path file, Map<String, TensorSpec> expected) throws IOException {
        {
            long size = ch.size();
            if (size < 8) {
                throw new InvalidFileException(file, "byte 0", "the file has " + size
                        + " bytes; a safetensors file starts with an 8-byte header length. It is truncated or not safetensors.");
            }
            long headerLength = readFully(ch, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
                throw new InvalidFileException(file, "byte 0", "the header length is " + Long.toUnsignedString(headerLength)
                        + " bytes; it must be between 2 and " + MAX_HEADER_BYTES + ". The file is corrupt or not safetensors.");
            }
            if (headerLength > size - 8) {
                throw new InvalidFileException(file, "byte 0", "the header length " + headerLength + " exceeds the "
                        + (size - 8) + " bytes after it; the file is truncated.");
            }
            byte[] headerBytes = readFully(ch, 8, (int) headerLength, file).array();
            String text = utf8(file, headerBytes);
            // As the reference implementation: JSON whitespace may precede the '{' (its start check
            // is deliberately left out), anything else may not.
            int first = 0;
            while (first < text.length() && " \t\r\n".indexOf(text.charAt(first)) >= 0) {
                first++;
            }
            if (first == text.length() || text.charAt(first) != '{') {
                throw new InvalidFileException(file, "byte " + (8 + first), "the header must be a JSON object starting"
                        + " with '{'; found " + (first == text.length() ? "only whitespace" : "'"
                        + JsonFields.printable(text.substring(first, text.offsetByCodePoints(first, 1))) + "'")
                        + ". The file is corrupt or not safetensors.");
            }
            JsonNode header = StrictJson.parse(file, text, "header");
            long dataStart = 8 + headerLength;
            List<Entry> entries = entries(file, header, dataStart, size - dataStart);
            Map<String, String> metadata = metadata(file, header);
            checkExpected(file, entries, expected);
            return new Header(entries, metadata, dataStart);
        }
    }

    /** The header as text: UTF-8 only, as the reference reads it (Jackson alone would also take UTF-16 and UTF-32). */
    private static String utf8(Path file, byte[] bytes) throws InvalidFileException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidFileException(file, "byte " + (8 + in.position()), "the header is not valid UTF-8"
                    + (bytes.length > 1 && (bytes[0] == 0 || bytes[1] == 0 || (bytes[0] & 0xff) >= 0xfe)
                    ? " (it looks like UTF-16 or UTF-32)" : "") + "; safetensors headers are UTF-8 JSON.");
        }
    }

    /** The tensors of {@code header}, checked to tile the {@code dataLength} bytes that start at byte {@code dataStart}. */
    private static List<Entry> entries(Path file, JsonNode header, long dataStart, long dataLength) throws InvalidFileException {
        if (!header.isObject()) {
            throw new InvalidFileException(file, "header", "the header must be a JSON object; got " + header.getNodeType() + ".");
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : header.properties()) {
            if (!e.getKey().equals(METADATA)) {
                entries.add(entry(file, e.getKey(), e.getValue()));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        long expectedBegin = 0;
        for (Entry e : entries) {
            if (e.begin() != expectedBegin) {
                throw new InvalidFileException(file, "header, tensor '" + e.name() + "'", e.begin() < expectedBegin
                        ? "its data_offsets [" + e.begin() + ", " + e.end() + "] overlap the tensor before it (which ends at "
                        + expectedBegin + ")."
                        : "its data starts at " + e.begin() + " but the tensor before it ends at " + expectedBegin
                        + "; tensors must be contiguous, with no gaps.");
            }
            expectedBegin = e.end();
        }
        if (expectedBegin != dataLength) {
            throw new InvalidFileException(file, "byte " + (dataStart + Math.min(expectedBegin, dataLength)),
                    expectedBegin < dataLength
                            ? (dataLength - expectedBegin) + " trailing bytes follow the last tensor; the file must end with it."
                            : "the tensors need " + expectedBegin + " data bytes after the " + dataStart + "-byte header, but"
                            + " the file holds " + dataLength + " (" + (dataStart + dataLength) + " bytes in all, "
                            + (dataStart + expectedBegin) + " expected); it is truncated. Copy the file again from where it"
                            + " was written.");
        }
        return entries;
    }

    private static Entry entry(Path file, String name, JsonNode n) throws InvalidFileException {
        String where = "header, tensor '" + name + "'";
        if (!n.isObject()) {
            throw new InvalidFileException(file, where, "expected an object with dtype, shape and data_offsets.");
        }
        Set<String> keys = new TreeSet<>(n.propertyNames());
        if (!keys.equals(Set.of("data_offsets", "dtype", "shape"))) {
            throw new InvalidFileException(file, where, "has keys " + keys + "; expected exactly [data_offsets, dtype, shape].");
        }
        JsonNode dt = n.get("dtype");
        String dtype = dt.isString() ? dt.asString() : String.valueOf(dt);
        if (!KNOWN_DTYPES.contains(dtype)) {
            throw new InvalidFileException(file, where, "unknown dtype " + JsonFields.printable(dtype) + ". Known: "
                    + String.join(", ", new TreeSet<>(KNOWN_DTYPES)) + ".");
        }
        JsonNode shapeNode = n.get("shape");
        // PyTorch keeps counts (batch norm's num_batches_tracked) as I64 scalars; nnkit reads them into its dtype.
        boolean int64 = dtype.equals("I64") && shapeNode.isArray() && shapeNode.isEmpty();
        if (!dtype.equals("F32") && !dtype.equals("F64") && !int64) {
            throw new InvalidFileException(file, where, "dtype " + dtype + " is not supported; nnkit models hold F32 "
                    + "or F64 weights (and I64 only for scalar counts). Convert the tensor (e.g. tensor.float()) before saving.");
        }
        DType type = dtype.equals("F32") ? DType.FLOAT32 : DType.FLOAT64;
        if (!shapeNode.isArray() || shapeNode.size() > 8) {
            throw new InvalidFileException(file, where, "shape must be an array of at most 8 dimensions; got " + shapeNode + ".");
        }
        int[] dims = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 1 || d.longValue() > Integer.MAX_VALUE) {
                throw new InvalidFileException(file, where, "dimension " + i + " is " + d
                        + "; dimensions must be whole numbers from 1 to " + Integer.MAX_VALUE + ".");
            }
            dims[i] = (int) d.longValue();
            try {
                count = Math.multiplyExact(count, dims[i]);
            } catch (ArithmeticException overflow) {
                throw new InvalidFileException(file, where, "the shape " + shapeNode + " overflows a 64-bit element count.");
            }
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new InvalidFileException(file, where, "the shape " + shapeNode + " holds more elements than a Java array can.");
        }
        JsonNode off = n.get("data_offsets");
        if (!off.isArray() || off.size() != 2 || !isOffset(off.get(0)) || !isOffset(off.get(1))) {
            throw new InvalidFileException(file, where, "data_offsets must be two whole numbers [begin, end]; got " + off + ".");
        }
        long begin = off.get(0).longValue();
        long end = off.get(1).longValue();
        long bytes = count * type.bytes(); // an I64 scalar is read as FLOAT64: 8 bytes too
        if (end < begin || end - begin != bytes) {
            throw new InvalidFileException(file, where, "data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but shape " + shapeNode + " of " + dtype + " needs " + bytes + ".");
        }
        return new Entry(name, type, Shape.of(dims), begin, end, int64);
    }

    private static boolean isOffset(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0;
    }

    private static Map<String, String> metadata(Path file, JsonNode header) throws InvalidFileException {
        JsonNode m = header.get(METADATA);
        Map<String, String> out = new LinkedHashMap<>();
        if (m == null || m.isNull()) { // null is no metadata, as the reference's Option reads it
            return out;
        }
        if (!m.isObject()) {
            throw new InvalidFileException(file, "header, __metadata__", "must be an object of strings.");
        }
        for (Map.Entry<String, JsonNode> e : m.properties()) {
            if (!e.getValue().isString()) {
                throw new InvalidFileException(file, "header, __metadata__." + e.getKey(), "must be a string; got "
                        + e.getValue() + ".");
            }
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }

    private static void checkExpected(Path file, List<Entry> entries, Map<String, TensorSpec> expected)
            throws InvalidFileException {
        Set<String> found = new TreeSet<>();
        for (Entry e : entries) {
            found.add(e.name());
            TensorSpec spec = expected.get(e.name());
            if (spec == null) {
                throw new InvalidFileException(file, "header, tensor '" + e.name() + "'", "the model has no such parameter. "
                        + "Expected exactly " + new TreeSet<>(expected.keySet()) + ".");
            }
            if (spec.dtype() != e.dtype() && !e.int64()) {
                throw new InvalidFileException(file, "header, tensor '" + e.name() + "'", "dtype is "
                        + (e.dtype() == DType.FLOAT32 ? "F32" : "F64") + " but the model is " + spec.dtype().id() + ".");
            }
            if (!spec.shape().equals(e.shape())) {
                throw new InvalidFileException(file, "header, tensor '" + e.name() + "'", "shape is " + e.shape()
                        + " (" + (long) e.shape().size() * e.dtype().bytes() + " bytes) but the model needs "
                        + spec.shape() + " (" + (long) spec.shape().size() * spec.dtype().bytes()
                        + " bytes). The weights do not belong to this model description.");
            }
        }
        for (String name : expected.keySet()) {
            if (!found.contains(name)) {
                throw new InvalidFileException(file, "header", "tensor '" + name + "' is missing; the file holds " + found + ".");
            }
        }
    }

    private static Tensor load(FileChannel ch, Path file, Entry e, DType modelType, long dataStart, NonFinite nonFinite)
            throws IOException {
        ByteBuffer b = readFully(ch, dataStart + e.begin(), (int) (e.end() - e.begin()), file).order(ByteOrder.LITTLE_ENDIAN);
        Tensor t;
        if (e.int64()) {
            t = Tensor.of(modelType, e.shape(), b.getLong());
        } else if (e.dtype() == DType.FLOAT32) {
            float[] a = new float[e.shape().size()];
            b.asFloatBuffer().get(a);
            t = new Float32Tensor(e.shape(), a);
        } else {
            double[] a = new double[e.shape().size()];
            b.asDoubleBuffer().get(a);
            t = new Float64Tensor(e.shape(), a);
        }
        if (nonFinite == NonFinite.REJECT) {
            for (int i = 0; i < t.size(); i++) {
                if (!Double.isFinite(t.get(i))) {
                    throw new InvalidFileException(file, "tensor '" + e.name() + "', element " + i, "the value is "
                            + t.get(i) + "; weights must be finite: the file is damaged, or the run that wrote it diverged. Train the"
                            + " model again (a Java program can still read it with Safetensors.NonFinite.ALLOW).");
                }
            }
        }
        return t;
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new InvalidFileException(file, "byte " + (position + b.position()), "the file ends early; it is truncated.");
            }
        }
        return b.flip();
    }
}
