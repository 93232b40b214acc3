package dev.nnkit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor lost mid-run changes nothing but time: on a Spark standalone cluster of two executor
 * processes, one executor's JVM ends in the middle of a step; Spark runs its tasks again on the
 * other executor, rebuilds the cached examples it held, and the weights are bit for bit those of an
 * undisturbed run. Runs in a JVM of its own ({@link ExecutorLossRun}), whose Spark launches the
 * executors with this JVM's class path.
 */
class ExecutorLossTest {
    @TempDir
    Path dir;

    @Test
    void aLostExecutorChangesNothingButTime() throws IOException, InterruptedException {
        // local-cluster's workers build the executors' command from a Spark home: a RELEASE file and
        // an (empty) jars folder are enough when the class path comes in spark.executor.extraClassPath.
        Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(sparkHome.resolve("jars"));
        Files.writeString(sparkHome.resolve("RELEASE"), "Spark (for nnkit's tests)\n");
        Path killDir = Files.createDirectories(dir.resolve("kill"));
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-modules")
                        || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")).toList();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ExecutorLossRun.class.getName(),
                killDir.toString(), String.join(" ", jvmOptions)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        Process run = pb.start();
        boolean ended = run.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            run.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("run.log"), StandardCharsets.UTF_8);
        assertThat(ended).as(log).isTrue();
        assertThat(run.exitValue()).as(log).isZero();
        assertThat(log.lines()).as(log).contains("killed an executor: true", "distance 0.0");
        assertThat(log).as("Spark saw the executor die").containsPattern("Lost executor \\d+ .*exited with code 137");
    }
}
