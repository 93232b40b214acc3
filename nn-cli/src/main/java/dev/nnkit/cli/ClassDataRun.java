package dev.nnkit.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;

/**
 * The run a launcher records a class-data archive from ({@code -XX:ArchiveClassesAtExit}): in one
 * JVM, the commands people run most (train, evaluate, predict, inspect) on a small example, so that
 * every one of them later starts from mapped, already verified classes instead of loading them
 * from the jars. Not a command: {@code java … dev.nnkit.cli.ClassDataRun CONFIG DATA WORK_DIR},
 * where CONFIG is a training config (the iris example), DATA a CSV it can score and WORK_DIR an
 * empty directory for the run. Exits non-zero when a command fails, so the launcher keeps no archive
 * of a broken run.
 */
public final class ClassDataRun {
    private ClassDataRun() {
    }

    public static void main(String[] args) {
        String config = args[0];
        String data = args[1];
        String model = Path.of(args[2], "run").toString();
        PrintWriter quiet = new PrintWriter(Writer.nullWriter(), true);
        String[][] commands = {
            {"train", "--config", config, "--epochs", "2", "--out", model, "--quiet"},
            {"evaluate", "--model", model, "--data", data},
            {"predict", "--model", model, "--data", data, "--probabilities"},
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
}
