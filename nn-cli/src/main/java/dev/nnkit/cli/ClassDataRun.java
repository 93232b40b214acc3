package dev.nnkit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The runs a launcher records its class-data archives from ({@code -XX:ArchiveClassesAtExit}), on a
 * small made-up classification CSV, so that commands later start from mapped, already verified
 * classes instead of loading them from the jars. Not a command: {@code java … dev.nnkit.cli.ClassDataRun
 * WORK_DIR KIND}, where WORK_DIR is a directory it may fill and KIND is
 * <ul>
 *   <li>{@code train}: {@code nn train} into WORK_DIR/run, for the archive {@code nn train} maps;</li>
 *   <li>{@code serve}: evaluate, predict and {@code --version} on that run, for the archive
 *       every other command maps. Kept apart because a JVM maps (and relocates) the whole archive it
 *       is given: the serving archive is a third the size, and a small {@code nn predict} starts
 *       about 70 ms sooner with it.</li>
 * </ul>
 * Needs nothing outside the distribution, and exits non-zero when a command fails, so the launcher
 * keeps no archive of a broken run.
 */
public final class ClassDataRun {
    private ClassDataRun() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        String kind = args.length > 1 ? args[1] : "train";
        Path data = work.resolve("data.csv");
        String model = work.resolve("run").toString();
        String[][] commands = switch (kind) {
            case "train" -> {
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
                yield new String[][] {{"train", "--config", config.toString(), "--out", model, "--quiet"}};
            }
            case "serve" -> new String[][] {
                {"evaluate", "--model", model, "--data", data.toString()},
                {"predict", "--model", model, "--data", data.toString(), "--probabilities"},
                {"--version"}, // not inspect: it reads model.json with Jackson's databind, 5 MB more archive for all
            };
            default -> throw new IllegalArgumentException("KIND is train or serve, not " + kind);
        };
        PrintWriter quiet = new PrintWriter(Writer.nullWriter(), true);
        for (String[] command : commands) {
            int code = NnCommand.run(quiet, quiet, command);
            if (code != NnCommand.OK) {
                System.err.println("nn: recording a class-data archive: 'nn " + String.join(" ", command)
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
