package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.cli.NnCommand;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A path that names the wrong kind of thing (a directory, a device, a file far too large for its
 * kind) gets exit 4 and a message saying what it is and what was expected, never the JDK's bare
 * "Is a directory" or an endless read.
 */
@DisplayName("nn given paths that are not the files it needs")
class BadPathsTest {
    static final String IRIS = RunDirectoryTest.IRIS;

    @TempDir
    Path dir;

    static void refused(String expected, String... args) {
        CliTest.Run r = CliTest.nn(args);
        assertThat(r.code()).as(r.err()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(r.err()).contains(expected).doesNotContain("Exception");
    }

    @Test
    @DisplayName("a directory as the config, the data, the validation data or explain's config")
    void directories() {
        String d = dir.toString();
        refused(d + ": is a directory; give the training config file itself.", "train", "--config", d);
        refused(d + ": is a directory; give the CSV or IDX data file itself.", "train", "--config", IRIS, "--data", d);
        refused(d + ": is a directory; give the CSV or IDX data file itself.", "train", "--config", IRIS, "--validation", d);
        refused(d + ": is a directory; give the training config file itself.", "explain", "--config", d, "--input", "1",
                "--target", "1");
    }

    @Test
    @DisplayName("a device as the config or the data: refused before reading, not read forever")
    void devices() {
        refused("/dev/zero: is not a regular file (a device, pipe or socket); give a training config file.", "train",
                "--config", "/dev/zero");
        refused("/dev/zero: is not a regular file (a device, pipe or socket); give a CSV or IDX data file.", "train",
                "--config", IRIS, "--data", "/dev/zero");
    }

    @Test
    @DisplayName("a 17 MB config (sparse: no memory or time spent on it) is refused by its size")
    void hugeConfig() throws IOException {
        Path big = dir.resolve("big.json");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(17L << 20);
        }
        refused(big + ": a config is at most 1 MiB; this file has 17825792 bytes.", "train", "--config",
                big.toString());
        assertThat(Files.size(big)).isEqualTo(17L << 20);
    }
}
