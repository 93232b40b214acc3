package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.io.checkpoint.Checkpoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training JVM killed with SIGKILL at random moments, some of them in the middle of writing a
 * checkpoint, and resumed each time from its newest checkpoint, ends with the same weights, bit
 * for bit, as a run that was never interrupted; and every checkpoint on disk is always complete.
 */
@org.junit.jupiter.api.Tag("slow") // excluded by -DexcludedGroups=slow for a quick local loop; CI runs it
@DisplayName("Kill and resume")
class KillAndResumeTest {
    @TempDir
    Path dir;

    static Process start(Path work) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CheckpointedRun.class.getName(),
                work.toString()).redirectErrorStream(true).start();
    }

    @Test
    @DisplayName("SIGKILL during training and the moment a checkpoint write begins, then resume: bit-identical final weights")
    void killedAndResumedEqualsUninterrupted() throws Exception {
        Path reference = Files.createDirectories(dir.resolve("reference"));
        Process p = start(reference);
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();

        Path work = Files.createDirectories(dir.resolve("interrupted"));
        Checkpoints checkpoints = new Checkpoints(work.resolve("checkpoints"), 3, "kill-and-resume");
        Random random = new Random(2026);
        int kills = 0;
        int midCheckpointKills = 0;
        // Eight interrupted attempts, then one that may finish. Each interrupted attempt waits for a
        // random number (1–50) of checkpoints to pass, then either kills the JVM at once when the next
        // checkpoint write begins (odd attempts) or after a random pause of 0–20 ms of training.
        for (int attempt = 0; attempt < 9 && !Files.exists(work.resolve("final.safetensors")); attempt++) {
            Process child = start(work);
            boolean interrupt = attempt < 8;
            boolean midCheckpoint = attempt % 2 == 1;
            int after = 1 + random.nextInt(50);
            int pauseMillis = random.nextInt(21);
            AtomicInteger ends = new AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean killedMidWrite = new java.util.concurrent.atomic.AtomicBoolean();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        if (!interrupt) {
                            continue;
                        }
                        if (line.startsWith("checkpoint-begin") && midCheckpoint && ends.get() >= after) {
                            child.destroyForcibly(); // SIGKILL on Linux, while the checkpoint is being written
                            killedMidWrite.set(true);
                        } else if (line.startsWith("checkpoint-end") && ends.incrementAndGet() == after && !midCheckpoint) {
                            Thread.sleep(pauseMillis);
                            child.destroyForcibly();
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // the child died; nothing more to read
                }
            });
            reader.start();
            assertThat(child.waitFor(300, TimeUnit.SECONDS)).isTrue();
            reader.join();
            if (child.exitValue() != 0) {
                kills++;
                if (killedMidWrite.get()) {
                    midCheckpointKills++;
                }
            }
            for (Path c : checkpoints.list()) {
                checkpoints.load(c); // throws if any checkpoint on disk were half-written
            }
        }
        System.out.printf("Kill and resume: %d SIGKILLs (%d during a checkpoint write), then completion%n", kills,
                midCheckpointKills);
        assertThat(work.resolve("final.safetensors")).as("the run completed after %d kills", kills).exists();
        assertThat(kills).as("kills").isEqualTo(8);
        assertThat(midCheckpointKills).as("kills during a checkpoint write").isEqualTo(4);
        assertThat(Files.readAllBytes(work.resolve("final.safetensors")))
                .as("final weights after %d kills (%d mid-checkpoint)", kills, midCheckpointKills)
                .isEqualTo(Files.readAllBytes(reference.resolve("final.safetensors")));
        List<Path> left = checkpoints.list();
        assertThat(left).hasSizeLessThanOrEqualTo(3);
    }
}
