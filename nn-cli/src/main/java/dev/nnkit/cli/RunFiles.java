package dev.nnkit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Recognises the files {@code nn train} writes in a run directory by their content, so that
 * {@code --overwrite} never deletes a folder that merely has one of their names. Each check reads
 * at most a few kilobytes; a symbolic link is never nnkit's.
 */
final class RunFiles {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int PEEK = 4096;

    private RunFiles() {
    }

    /** Whether {@code path} (DIR/model, DIR/checkpoints, DIR/metrics.jsonl, DIR/curves.png or DIR/config.json) is nn train's. */
    static boolean isNnkits(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return false;
        }
        return switch (path.getFileName().toString()) {
            case "model" -> Files.isDirectory(path) && Files.isRegularFile(path.resolve("model.json"))
                    && peek(path.resolve("model.json")).contains("\"nnkit-model\"");
            case "checkpoints" -> Files.isDirectory(path) && onlyCheckpoints(path);
            case "metrics.jsonl" -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                    && (Files.size(path) == 0 || peek(path).startsWith("{\"epoch\":"));
            case "curves.png" -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                    && Arrays.equals(head(path, PNG.length), PNG);
            case RunConfig.FILE -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                    && peek(path).contains("\"" + RunConfig.WRITTEN_BY + "\"");
            default -> false;
        };
    }

    /** What nn train would have written under that name, for the refusal. */
    static String expected(String name) {
        return switch (name) {
            case "model" -> "an nnkit model is a folder with a model.json of format \"nnkit-model\"";
            case "checkpoints" -> "nnkit's checkpoints folder holds only step-NNNNNNNNNNNN folders (and best/ with "
                    + "one of them)";
            case "metrics.jsonl" -> "nnkit's metrics.jsonl holds one {\"epoch\": …} object a line";
            case "curves.png" -> "nnkit's curves.png is a PNG image";
            case RunConfig.FILE -> "the config.json nn train writes has a \"writtenBy\" entry";
            default -> "not a name nn train writes";
        };
    }

    /** Checkpoints only, and best/ (early stopping's best epoch) holding checkpoints only. */
    private static boolean onlyCheckpoints(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.allMatch(p -> {
                String n = p.getFileName().toString();
                // a checkpoint, or the hidden leftover of one a killed writer was writing or deleting
                return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && (n.matches("step-\\d{12}") || n.matches("\\.step-\\d{12}\\.(tmp|old)-.*")
                        || n.equals("best") && dir.getFileName().toString().equals("checkpoints") && bestOnly(p));
            });
        }
    }

    private static boolean bestOnly(Path best) {
        try {
            return onlyCheckpoints(best);
        } catch (IOException e) {
            return false;
        }
    }

    private static String peek(Path file) throws IOException {
        return new String(head(file, PEEK), StandardCharsets.UTF_8);
    }

    private static byte[] head(Path file, int n) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }
}
