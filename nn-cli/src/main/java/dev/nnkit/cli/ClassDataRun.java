package dev.nnkit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The run a launcher records a class-data archive from ({@code -XX:ArchiveClassesAtExit}): in one
 * JVM, the commands people run most (train, evaluate, predict, inspect) on a small made-up
 * classification CSV, so that each of them later starts from mapped, already verified classes
 * instead of loading them from the jars. Not a command: {@code java … dev.nnkit.cli.ClassDataRun
 * WORK_DIR}, where WORK_DIR is an empty directory it may fill. Needs nothing outside the
 * distribution, and exits non-zero when a command fails, so the launcher keeps no archive of a
 * broken run.
 */
public final class ClassDataRun {
    private ClassDataRun() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        Path data = work.resolve("data.csv");
        Files.writeString(data, csv());
        Path config = work.resolve("config.json");
        Files.writeString(config, """
                {
                  "data": {"train": "data.csv", "validation": "data.csv", "target": "kind", "normalize": "standardize"},
                  "layers": [{"type": "dense", "units": 8}, {"type": "tanh"}, {"type": "dense", "units": 3}, {"type": "softmax"}],
                  "loss": "categorical-cross-entropy",
                  "optimizer": {"type": "adam", "learningRate": 0.01},
                  "training": {"batchSize": 16, "maxEpochs": 2, "seed": 1}
                }
                """);
        String model = work.resolve("run").toString();
        PrintWriter quiet = new PrintWriter(Writer.nullWriter(), true);
        String[][] commands = {
            {"train", "--config", config.toString(), "--out", model, "--quiet"},
            {"evaluate", "--model", model, "--data", data.toString()},
            {"predict", "--model", model, "--data", data.toString(), "--probabilities"},
            {"inspect", "--model", model},
        };
        for (String[] command : commands) {
            int code = NnCommand.run(quiet, quiet, command);
            if (code != NnCommand.OK) {
                System.err.println("nn: recording the class-data archive: 'nn " + String.join(" ", command)
                        + "' exited with " + code);
                System.exit(code);
            }
        }
    }

    /** 60 rows of three classes, four features each: enough for every command to do its work. */
    private static String csv() {
        StringBuilder s = new StringBuilder("a,b,c,d,kind\n");
        String[] kinds = {"low", "middle", "high"};
        for (int i = 0; i < 60; i++) {
            int k = i % 3;
            s.append(String.format(Locale.ROOT, "%.2f,%.2f,%.2f,%.2f,%s%n", k + (i % 7) * 0.1, 2 - k + (i % 5) * 0.1,
                    k * 0.5 + (i % 3) * 0.2, (i % 11) * 0.05, kinds[k]));
        }
        return s.toString();
    }
}
