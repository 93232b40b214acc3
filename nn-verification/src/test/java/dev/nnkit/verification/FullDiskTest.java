package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.cli.NnCommand;
import dev.nnkit.io.checkpoint.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nn train} on a disk that fills up, a real one: a small tmpfs mounted for the test (this
 * needs root, as CI has; elsewhere the test is skipped, saying why). The message says what could
 * not be written and how to continue, the last good checkpoint stays loadable, no temporary file
 * is left, and after space is freed the run resumes and finishes.
 */
@DisplayName("nn train on a full disk")
class FullDiskTest {
    /** 4-4096-3 with Adam: a 130 KB model; a checkpoint (F64 weights and two slots) about 790 KB. */
    static final String[] WIDE = {"--set", "layers.0.units=4096"};

    @TempDir
    Path dir;
    Path disk;

    void mount(String size) throws IOException, InterruptedException {
        disk = Files.createDirectories(dir.resolve("disk"));
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", disk.toString()) == 0,
                "mounting a small tmpfs needs root; skipping the full-disk checks");
    }

    @AfterEach
    void unmount() throws IOException, InterruptedException {
        if (disk != null) {
            sh("umount", disk.toString());
        }
    }

    static int sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    static CliTest.Run train(String... args) {
        return RunDirectoryTest.train(Stream.concat(Stream.of(WIDE), Stream.of(args)).toArray(String[]::new));
    }

    static List<String> hidden(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") && !n.equals(".nn-train.lock"))
                    .toList();
        }
    }

    @Test
    @DisplayName("the second checkpoint does not fit: exit 1 naming it and the reason, the first intact, resumable after freeing space")
    void checkpointDoesNotFit() throws Exception {
        mount("1200k");
        Path run = disk.resolve("run");
        CliTest.Run r = train("--out", run.toString(), "--epochs", "3", "--checkpoint-every", "1");
        assertThat(r.code()).isEqualTo(NnCommand.FAILURE);
        assertThat(r.err()).contains("Could not write the checkpoint of step 2 in " + run.resolve("checkpoints")
                + ": No space left on device.").contains("The newest complete checkpoint, " + run.resolve("checkpoints")
                .resolve("step-000000000001") + ", is intact").contains("continue with: nn train --resume " + run
                + " --checkpoint-every 1 --quiet")
                .doesNotContain("Exception");
        assertThat(hidden(run)).as("temporary files left").isEmpty();
        Checkpoints checkpoints = new Checkpoints(run.resolve("checkpoints"), 3, "");
        assertThat(checkpoints.list()).hasSize(1);

        assertThat(sh("mount", "-o", "remount,size=8m", disk.toString())).isZero(); // space freed
        CliTest.Run resumed = train("--resume", run.toString(), "--epochs", "3", "--checkpoint-every", "8");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(run.resolve("model/model.safetensors")).exists();
    }

    @Test
    @DisplayName("the model does not fit after training: exit 1 saying so and what is kept, no half-written model")
    void modelDoesNotFit() throws Exception {
        mount("64k");
        Path run = disk.resolve("run");
        CliTest.Run r = train("--out", run.toString(), "--epochs", "2");
        assertThat(r.code()).isEqualTo(NnCommand.FAILURE);
        assertThat(r.err()).contains("Training finished, but could not write the model " + run.resolve("model")
                + ": No space left on device.").contains("No checkpoint of this run was written")
                .contains("Could not write the checkpoint of step 16").contains("The run cannot be continued")
                .doesNotContain("Exception");
        assertThat(run.resolve("model")).doesNotExist();
        assertThat(hidden(run)).as("temporary files left").isEmpty();
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(2);
    }
}
