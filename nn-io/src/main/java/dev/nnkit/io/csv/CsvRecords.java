package dev.nnkit.io.csv;

import static dev.nnkit.io.InvalidFileException.quote;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.CsvRecordHandler;
import dev.nnkit.io.InvalidFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The records of a CSV file as text: strict UTF-8 (a binary file, or one saved as Latin-1, is
 * refused naming the line and byte), FastCSV's limits raised for wide files and long cells, and
 * the header's names checked (byte-order mark dropped, no duplicates).
 */
final class CsvRecords {
    /** The most columns a file may have (FastCSV's default, 16,384, is too few for wide data). */
    static final int MAX_COLUMNS = 1 << 22;
    /** The longest record in characters (a 2²⁰-column row of 10-character numbers fits). */
    static final int MAX_RECORD = 1 << 27;
    private static final int SNIFF = 8192;

    private CsvRecords() {
    }

    static List<String> names(Path file, CsvRecord first) throws InvalidFileException {
        List<String> header = new ArrayList<>(first.getFields());
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) { // a UTF-8 byte-order mark
            header.set(0, header.get(0).substring(1));
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c).strip();
            header.set(c, name);
            Integer before = seen.putIfAbsent(name, c);
            if (before != null) {
                throw new InvalidFileException(file, "line 1, column " + (c + 1), "the column name " + quote(name)
                        + " is also the name of column " + (before + 1) + "; give every column a different name.");
            }
        }
        return header;
    }

    static CsvReader<CsvRecord> reader(Path file) throws IOException {
        // A strict UTF-8 decoder: a binary or Latin-1 file is refused, not read as replacement characters.
        Reader text = new InputStreamReader(withoutByteOrderMark(Files.newInputStream(file)), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        return CsvReader.builder().allowMissingFields(true).allowExtraFields(true).skipEmptyLines(true)
                .maxBufferSize(MAX_RECORD)
                .build(CsvRecordHandler.of(b -> b.maxFields(MAX_COLUMNS).maxRecordSize(MAX_RECORD)
                        .maxFieldSize(MAX_RECORD)), text);
    }

    /**
     * The stream past a UTF-8 byte-order mark (Excel writes one): dropped before parsing, so a quoted
     * first column name ("\uFEFF\"a\"" would keep its quotes) parses as any other.
     */
    private static InputStream withoutByteOrderMark(InputStream in) throws IOException {
        java.io.PushbackInputStream p = new java.io.PushbackInputStream(in, 3);
        byte[] head = p.readNBytes(3);
        if (!(head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF)) {
            p.unread(head);
        }
        return p;
    }

    /** The names in the file's first record. */
    static List<String> header(Path file) throws IOException {
        sniffBinary(file);
        List<CsvRecord> first = new ArrayList<>();
        try (CsvReader<CsvRecord> reader = reader(file)) {
            if (!next(file, reader.iterator(), first)) {
                throw new InvalidFileException(file, "", "the file is empty; expected a header row and data rows.");
            }
        } catch (UncheckedIOException e) {
            throw notText(file, e.getCause(), first);
        }
        return names(file, first.get(0));
    }

    /** Every record of the file, the header first; at least one. */
    static List<CsvRecord> records(Path file) throws IOException {
        sniffBinary(file);
        List<CsvRecord> records = new ArrayList<>();
        try (CsvReader<CsvRecord> reader = reader(file)) {
            Iterator<CsvRecord> it = reader.iterator();
            while (next(file, it, records)) {
                CsvRecord r = records.get(records.size() - 1);
                for (int c = 0; c < r.getFieldCount(); c++) {
                    if (r.getField(c).indexOf('\0') >= 0) {
                        throw new InvalidFileException(file, "line " + r.getStartingLineNumber() + ", column " + (c + 1),
                                "the cell holds a NUL character; this looks like a binary file, not CSV text.");
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw notText(file, e.getCause(), records);
        }
        if (records.isEmpty()) {
            throw new InvalidFileException(file, "", "the file is empty; expected a header row and data rows.");
        }
        return records;
    }

    static boolean next(Path file, Iterator<CsvRecord> it, List<CsvRecord> into) throws InvalidFileException {
        try {
            if (!it.hasNext()) {
                return false;
            }
            into.add(it.next());
            return true;
        } catch (CsvParseException e) {
            String after = into.isEmpty() ? "" : " after line " + into.get(into.size() - 1).getStartingLineNumber();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof UncheckedIOException u) {
                throw notText(file, u.getCause(), into);
            }
            if (cause instanceof CharacterCodingException c) {
                throw notText(file, c, into);
            }
            throw new InvalidFileException(file, after.isEmpty() ? "" : after.substring(1), "not valid CSV: "
                    + cause.getMessage());
        }
    }

    static InvalidFileException notText(Path file, IOException e, List<CsvRecord> read) {
        String place = read.isEmpty() ? "" : "after line " + read.get(read.size() - 1).getStartingLineNumber();
        if (e instanceof CharacterCodingException) {
            String where = place;
            String what = "an invalid byte sequence";
            try {
                long[] at = firstInvalidUtf8(file);
                if (at != null) {
                    where = "line " + at[0] + ", byte " + at[1];
                    what = String.format("byte 0x%02X", at[2]);
                }
            } catch (IOException ignored) {
                // the place stays approximate
            }
            return new InvalidFileException(file, where, "the file is not UTF-8 text (" + what + " is not valid UTF-8); "
                    + "is it a binary file, or saved as Latin-1 or Windows-1252? Save the table as CSV in UTF-8.");
        }
        return new InvalidFileException(file, place, "could not be read: " + e.getMessage());
    }

    /** The line (from 1), byte offset (from 0) and value of the first byte that is not valid UTF-8; null if none. */
    private static long[] firstInvalidUtf8(Path file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(1 << 16).limit(0); // limit: the bytes read so far
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(1 << 16);
        long offset = 0; // of in's first byte
        long line = 1;
        try (InputStream s = Files.newInputStream(file)) {
            boolean end = false;
            while (!end) {
                int n = s.read(in.array(), in.limit(), in.capacity() - in.limit());
                end = n < 0;
                in.limit(in.limit() + Math.max(n, 0));
                while (true) {
                    int before = in.position();
                    var result = decoder.decode(in, out, end);
                    for (int i = before; i < in.position(); i++) {
                        line += in.get(i) == '\n' ? 1 : 0;
                    }
                    out.clear();
                    if (result.isError()) {
                        return new long[] {line, offset + in.position(), in.get(in.position()) & 0xff};
                    }
                    if (result.isUnderflow()) {
                        break;
                    }
                }
                offset += in.position();
                in.compact().flip();
            }
        }
        return null;
    }

    /** A NUL byte in the first few kilobytes: a binary file (an image, an archive, IDX), not text. */
    private static void sniffBinary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(SNIFF);
            for (int i = 0; i < head.length; i++) {
                if (head[i] == 0) {
                    throw new InvalidFileException(file, "byte " + i, "a NUL byte; this is a binary file, not CSV text."
                            + (head.length > 1 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b
                            ? " It is gzip-compressed: decompress it first." : ""));
                }
            }
        }
    }
}
