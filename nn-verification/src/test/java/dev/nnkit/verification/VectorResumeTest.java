package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the Vector API path (what ./nn runs), a sigmoid network stopped after a checkpoint and
 * resumed in a new JVM ends with the same weights, bit for bit, as one trained without a stop. The
 * resumed JVM runs its first steps interpreted, where the Vector API computes in plain Java, while
 * the uninterrupted one runs C2's code by then: with the Vector API's own exp (SVML once compiled,
 * Math.exp before) in the sigmoid, the final weights differed (checked by swapping it back in).
 */
@org.junit.jupiter.api.Tag("slow") // excluded by -DexcludedGroups=slow for a quick local loop; CI runs it
@DisplayName("Resume on the Vector API path")
class VectorResumeTest {
    @TempDir
    Path dir;

    private static String run(String mode, Path work) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), VectorResumeRun.class.getName(), mode, work.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    @DisplayName("a sigmoid network at batch 32, stopped and resumed in a new JVM: bit-identical final weights")
    void resumedEqualsUninterrupted() throws Exception {
        Path whole = Files.createDirectories(dir.resolve("whole"));
        String log = run("full", whole);
        assertThat(log).as("the child must run the Vector API kernels, or this test proves nothing")
                .contains("kernels: Vector API");
        Path split = Files.createDirectories(dir.resolve("split"));
        assertThat(run("half", split)).contains("stopped at step " + VectorResumeRun.CHECKPOINT_STEP);
        run("resume", split);
        assertThat(Arrays.equals(Files.readAllBytes(split.resolve("final.safetensors")),
                Files.readAllBytes(whole.resolve("final.safetensors"))))
                .as("the resumed run's final weights equal the uninterrupted run's, byte for byte").isTrue();
    }
}
