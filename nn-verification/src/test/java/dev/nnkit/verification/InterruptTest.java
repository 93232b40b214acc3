package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nn train} as a process sent SIGINT (Ctrl-C) or SIGTERM: it stops after the step in
 * progress, writes a checkpoint and the model so far, says where, exits 130 or 143, and resuming
 * ends with the same weights as a run never interrupted. And a second {@code nn train} on a
 * directory a running one holds is refused, naming the holder.
 */
@org.junit.jupiter.api.Tag("slow") // excluded by -DexcludedGroups=slow for a quick local loop; CI runs it
@DisplayName("nn train interrupted")
class InterruptTest {
    static final String IRIS = RunDirectoryTest.IRIS;
    /** A bigger hidden layer and many epochs, so that the signal lands mid-training. */
    static final List<String> LONG = List.of("--config", IRIS, "--set", "layers.0.units=256", "--epochs", "4000");

    @TempDir
    Path dir;

    /** Starts {@code nn train} and waits until it has finished an epoch. */
    static Process startTraining(Path run) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--out", run.toString()));
        args.addAll(LONG);
        Process p = new ProcessBuilder(CliProcessTest.command(args.toArray(String[]::new))).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            if (line.startsWith("epoch 1/")) {
                break;
            }
        }
        return p;
    }

    static void signal(Process p, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    @ParameterizedTest(name = "SIG{0} → exit {1}")
    @CsvSource({"INT, 130", "TERM, 143"})
    @DisplayName("a signal stops after the current step, saves a checkpoint and the model, and the resumed run is bit-identical")
    void stopsAndSaves(String signal, int code) throws Exception {
        Path run = dir.resolve("run");
        Process p = startTraining(run);
        Thread.sleep(300);
        signal(p, signal);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(code);
        assertThat(err).containsPattern("Stopped at epoch \\d+, step \\d+\\. Wrote the checkpoint .*step-\\d{12} and the "
                + "model so far in .*model\\. Continue with: nn train --resume " + run);
        assertThat(run.resolve("model/model.safetensors")).exists();
        String step = err.replaceAll("(?s).*Stopped at epoch \\d+, step (\\d+)\\..*", "$1");
        assertThat(run.resolve("checkpoints").resolve(String.format("step-%012d", Long.parseLong(step)))).isDirectory();

        // Resume to a short finish, and compare with a run of the same length never interrupted.
        int epochs = Integer.parseInt(err.replaceAll("(?s).*Stopped at epoch (\\d+),.*", "$1")) + 2;
        List<String> rest = new java.util.ArrayList<>(List.of("train", "--quiet", "--resume", run.toString()));
        rest.addAll(LONG.subList(0, 4));
        rest.addAll(List.of("--epochs", String.valueOf(epochs)));
        CliTest.Run resumed = CliTest.nn(rest.toArray(String[]::new));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        Path reference = dir.resolve("reference");
        List<String> whole = new java.util.ArrayList<>(List.of("train", "--quiet", "--out", reference.toString()));
        whole.addAll(LONG.subList(0, 4));
        whole.addAll(List.of("--epochs", String.valueOf(epochs)));
        assertThat(CliTest.nn(whole.toArray(String[]::new)).code()).isZero();
        assertThat(Files.readAllBytes(run.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(reference.resolve("model/model.safetensors")));
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(epochs);
    }

    @Test
    @DisplayName("a second nn train on a directory a running one holds: exit 4 naming the holder's pid, nothing touched")
    void secondRunIsRefused() throws Exception {
        Path run = dir.resolve("run");
        Process first = startTraining(run);
        try {
            CliTest.Run second = CliTest.nn("train", "--quiet", "--config", IRIS, "--out", run.toString(), "--overwrite");
            assertThat(second.code()).isEqualTo(dev.nnkit.cli.NnCommand.INVALID_INPUT);
            assertThat(second.err()).contains(run + ": another nn train is writing this run (pid " + first.pid() + ", started ")
                    .contains("Wait for it to finish, or write to another --out.");
            CliTest.Run resume = CliTest.nn("train", "--quiet", "--config", IRIS, "--resume", run.toString());
            assertThat(resume.code()).isEqualTo(dev.nnkit.cli.NnCommand.INVALID_INPUT);
            assertThat(resume.err()).contains("another nn train is writing this run (pid " + first.pid());
        } finally {
            signal(first, "TERM"); // not destroy(): that closes the streams read below
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(first.exitValue()).isEqualTo(143);
        // The holder is gone (the OS released its lock): the run can be continued, one epoch further.
        String err = new String(first.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int stoppedIn = Integer.parseInt(err.replaceAll("(?s).*Stopped at epoch (\\d+),.*", "$1"));
        CliTest.Run resumed = CliTest.nn("train", "--quiet", "--resume", run.toString(), "--config", IRIS, "--set",
                "layers.0.units=256", "--epochs", String.valueOf(stoppedIn + 1));
        assertThat(resumed.code()).as(resumed.err()).isZero();
    }

    @Test
    @DisplayName("Ctrl-C while the data loads: exit 130 at once, saying nothing was written, and the new run directory is gone")
    void signalBeforeTraining() throws Exception {
        Path data = dir.resolve("big.csv");
        try (var w = Files.newBufferedWriter(data)) {
            w.write("sepal_length,sepal_width,petal_length,petal_width,species\n");
            for (int i = 0; i < 1_500_000; i++) {
                w.write(i % 3 == 0 ? "5.1,3.5,1.4,0.2,setosa\n" : i % 3 == 1 ? "6.4,3.2,4.5,1.5,versicolor\n"
                        : "6.3,3.3,6.0,2.5,virginica\n");
            }
        }
        Path run = dir.resolve("run");
        Process p = new ProcessBuilder(CliProcessTest.command("train", "--config", IRIS, "--data", data.toString(),
                "--out", run.toString())).start();
        Path lock = run.resolve(".nn-train.lock");
        for (int i = 0; i < 600 && !Files.exists(lock) && p.isAlive(); i++) {
            Thread.sleep(10); // the run directory is locked just before the data is read
        }
        signal(p, "INT");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(130);
        assertThat(err).contains("nn: stopped before training began; nothing was written.").doesNotContain("epoch 1/");
        assertThat(run).doesNotExist();
    }
}
