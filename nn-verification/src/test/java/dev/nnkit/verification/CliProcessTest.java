package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.cli.NnCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nn command as a separate process: its exit codes and streams as a shell sees them, and the
 * progress bar, which appears only on a terminal (a pseudo-terminal made by util-linux script).
 */
@org.junit.jupiter.api.Tag("slow") // excluded by -DexcludedGroups=slow for a quick local loop; CI runs it
@DisplayName("nn as a child process")
class CliProcessTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), NnCommand.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    Result run(List<String> command) throws IOException, InterruptedException {
        return runIn(dir, command);
    }

    /** Runs {@code command}, its streams captured in files in {@code dir}. */
    Result runIn(Path dir, List<String> command) throws IOException, InterruptedException {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    @DisplayName("train on the shipped XOR example: exit 0, results on stdout, epoch lines but no bar on a pipe")
    void trainsAsProcess() throws Exception {
        Path xor = Path.of("").toAbsolutePath().getParent().resolve("examples/xor.json");
        Result r = run(command("train", "--config", xor.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("accuracy 100.00%");
        assertThat(r.err()).contains("epoch 1/1000").doesNotContain("batches");
    }

    @Test
    @DisplayName("on the module path, as ./nn runs it: Vector API kernels with the incubator module, portable loops and a hint without")
    void kernelsFollowTheIncubatorModule() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String modulePath = String.join(java.io.File.pathSeparator,
                ModulePaths.cliModulePath().stream().map(Path::toString).toList());
        List<String> nn = List.of("-p", modulePath, "-m", "dev.nnkit.cli/dev.nnkit.cli.NnCommand", "--version");

        List<String> withVector = new ArrayList<>(List.of(javaBin, "--add-modules", "jdk.incubator.vector"));
        withVector.addAll(nn);
        Result vector = run(withVector);
        assertThat(vector.code()).as(vector.err()).isZero();
        assertThat(vector.out()).startsWith("nn " + NnCommand.VERSION).contains("float32 kernels: Vector API, ");
        assertThat(vector.err()).doesNotContain("--add-modules");

        List<String> stock = new ArrayList<>(List.of(javaBin));
        stock.addAll(nn);
        Result portable = run(stock);
        assertThat(portable.code()).as(portable.err()).isZero();
        assertThat(portable.out()).contains("float32 kernels: portable loops");
        assertThat(portable.err()).as("the hint a library user on a stock JDK gets")
                .contains("Vector API module is not enabled").contains("--add-modules jdk.incubator.vector");

        List<String> chosen = new ArrayList<>(List.of(javaBin, "-Dnnkit.kernels=portable"));
        chosen.addAll(nn);
        Result asked = run(chosen);
        assertThat(asked.out()).contains("float32 kernels: portable loops");
        assertThat(asked.err()).doesNotContain("--add-modules");

        // Settings that cannot be met are reported and ignored, not an ExceptionInInitializerError.
        List<String> bad = new ArrayList<>(List.of(javaBin, "-Dnnkit.kernels=fast", "-Dnnkit.threads=many"));
        bad.addAll(nn);
        Result ignored = run(bad);
        assertThat(ignored.code()).as(ignored.err()).isZero();
        assertThat(ignored.err()).contains("ignoring -Dnnkit.kernels=fast is not one of auto, vector, portable")
                .contains("ignoring -Dnnkit.threads=many").doesNotContain("Exception");
        assertThat(ignored.out()).contains("float32 kernels: portable loops");
    }

    @Test
    @DisplayName("exit codes 2 and 4 reach the shell")
    void exitCodes() throws Exception {
        assertThat(run(command("train")).code()).isEqualTo(2);
        Result r = run(command("train", "--config", dir.resolve("missing.json").toString()));
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).startsWith("nn: no such file:");
    }

    @Test
    @DisplayName("on a terminal, a live line shows epoch, batches, running loss, samples/s and the time left, then the summary")
    void progressBarOnATerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is needed for a pseudo-terminal");
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 30000; i++) { // an epoch of well over the 100 ms between redraws
            csv.append(i % 7).append(',').append(i % 3).append(',').append(i % 2).append('\n');
        }
        Files.writeString(dir.resolve("data.csv"), csv);
        Path cfg = Files.writeString(dir.resolve("run.json"), """
                {"data": {"train": "data.csv", "labels": "classes"},
                 "layers": [{"type": "dense", "units": 32}, {"type": "relu"}, {"type": "dense", "units": 1}, {"type": "sigmoid"}],
                 "loss": "binary-cross-entropy", "optimizer": "adam", "training": {"batchSize": 1, "maxEpochs": 1}}
                """);
        String inner = String.join(" ", command("train", "--config", cfg.toString()).stream()
                .map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        Result r = run(List.of("/usr/bin/script", "-qec", inner, "/dev/null"));
        assertThat(r.code()).as(r.out()).isZero();
        String screen = r.out().replace('\r', '\n');
        assertThat(screen).containsPattern("epoch 1/1 \\[=* *\\] \\d+/30000 loss [0-9.]+ [0-9,]+ samples/s ETA \\d+:\\d\\d")
                .containsPattern("\n\033\\[Kepoch 1/1  loss [0-9.]+  accuracy"); // the line cleared, then the summary
    }
}
