package dev.nnkit.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.csv.LabeledTable;
import dev.nnkit.io.data.Datasets;
import dev.nnkit.io.idx.IdxReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of hostile data files in src/test/resources/hostile/ (csv/, idx/, idx-labels/),
 * with the outcome and message fragments each must give listed in hostile/expected.tsv. A refused
 * file gives an {@link InvalidFileException} naming it, its place and value, never another
 * exception; no message holds a raw control character.
 */
@DisplayName("Hostile data files")
class HostileDataFilesTest {
    static Path root() {
        try {
            return Path.of(HostileDataFilesTest.class.getResource("/hostile/expected.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> catalogue() throws IOException {
        return Files.readAllLines(root().resolve("expected.tsv")).stream().filter(l -> !l.startsWith("#")).map(l -> {
            String[] f = l.split("\t", -1);
            return Arguments.of(f[0], f[1], List.of(f[2].split("\\|")));
        });
    }

    /** Reads {@code file} with the reader its folder names; returns what it read, for ok files. */
    static String read(String kind, Path file) throws IOException {
        return switch (kind) {
            case "csv" -> {
                LabeledTable t = CsvTableReader.read(file, Optional.empty(), CsvTableReader.TargetKind.AUTO, List.of(),
                        DType.FLOAT32);
                yield t.featureNames().toString();
            }
            case "idx" -> Arrays.toString(IdxReader.read(file).shape().dims());
            case "idx-labels" -> Arrays.toString(Datasets.idxLabels(file).shape().dims());
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("catalogue")
    @DisplayName("every catalogued file is read or refused as expected, with the file, place and value named")
    void catalogued(String name, String outcome, List<String> fragments) throws IOException {
        Path file = root().resolve(name);
        String kind = name.substring(0, name.indexOf('/'));
        if (outcome.equals("ok")) {
            assertThat(read(kind, file)).contains(fragments);
            return;
        }
        Throwable t = catchThrowable(() -> read(kind, file));
        assertThat(t).isInstanceOf(InvalidFileException.class);
        assertThat(t.getMessage()).startsWith(file.toString()).contains(fragments);
        assertThat(t.getMessage().chars().filter(c -> c < 0x20 || c >= 0x7f && c <= 0x9f)).isEmpty();
    }

    @Test
    @DisplayName("every file in the catalogue's folders is listed in expected.tsv")
    void everyFileListed() throws IOException {
        List<String> listed = catalogue().map(a -> (String) a.get()[0]).toList();
        for (String kind : List.of("csv", "idx", "idx-labels")) {
            try (Stream<Path> files = Files.list(root().resolve(kind))) {
                files.forEach(f -> assertThat(listed).contains(kind + "/" + f.getFileName()));
            }
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} columns")
    @org.junit.jupiter.params.provider.ValueSource(ints = {100_000, 1 << 20})
    @DisplayName("wide CSV files (100,000 and 2²⁰ columns) are read")
    void wide(int columns) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int row = 0; row < 3; row++) {
            for (int c = 0; c < columns; c++) {
                b.append(c == 0 ? "" : ",").append(row == 0 ? "c" + c : String.valueOf((c + row) % 10));
            }
            b.append('\n');
        }
        Path f = Files.writeString(dir.resolve("wide.csv"), b);
        LabeledTable t = CsvTableReader.read(f, Optional.empty(), CsvTableReader.TargetKind.AUTO, List.of(), DType.FLOAT32);
        assertThat(t.features().shape().cols()).isEqualTo(columns - 1);
        assertThat(t.rows()).isEqualTo(2);
    }

    @Test
    @DisplayName("quote() escapes control characters, shortens long values and never splits a surrogate pair")
    void quote() {
        assertThat(InvalidFileException.quote("a\u001b]0;x\u0007\n")).isEqualTo("'a\\x1B]0;x\\x07\\x0A'");
        assertThat(InvalidFileException.quote("\u202Eevil")).isEqualTo("'\\u202Eevil'");
        String emoji = "x".repeat(59) + "\uD83D\uDE00" + "tail";
        assertThat(InvalidFileException.quote(emoji)).isEqualTo("'" + "x".repeat(59) + "…' (65 characters)");
        assertThat(InvalidFileException.quote("y".repeat(61))).isEqualTo("'" + "y".repeat(60) + "…' (61 characters)");
    }

    @Test
    @DisplayName("a 20-million-character cell (beyond FastCSV's default 16 MiB buffer) is read and refused as a non-number")
    void hugeField() throws IOException {
        Path f = Files.writeString(dir.resolve("huge-field.csv"), "a,y\n" + "7".repeat(20_000_000) + "x,0\n1,1\n");
        Throwable t = catchThrowable(() -> read("csv", f));
        assertThat(t).isInstanceOf(InvalidFileException.class).hasMessageContaining("line 2, column 1 ('a'): '777")
                .hasMessageContaining("…' (20000001 characters) is not a number");
    }

    @Test
    @DisplayName("an invalid UTF-8 byte far into a file (past the decoder's 64 KiB blocks) is placed exactly")
    void invalidUtf8Late() throws IOException {
        StringBuilder b = new StringBuilder("a,y\n");
        for (int i = 0; i < 30_000; i++) {
            b.append(i).append(",1\n");
        }
        byte[] head = b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + 4);
        all[head.length] = '7';
        all[head.length + 1] = (byte) 0xC3; // a two-byte sequence cut short by the comma
        all[head.length + 2] = ',';
        all[head.length + 3] = '1';
        Path f = Files.write(dir.resolve("late.csv"), all);
        assertThat(catchThrowable(() -> read("csv", f))).isInstanceOf(InvalidFileException.class)
                .hasMessageContaining("at line 30002, byte " + (head.length + 1) + ": the file is not UTF-8 text (byte 0xC3");
    }
}
