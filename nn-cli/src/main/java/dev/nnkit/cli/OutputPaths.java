package dev.nnkit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a command may write the file it is asked for ({@code predict --output}, {@code export
 * --out}): never over what it reads (the data, the model, any file of the run it came from, the
 * lock of a run in progress), and never onto a folder, device, pipe or link. Links anywhere on
 * the path are followed first, so a link into a model directory does not get around the check.
 */
final class OutputPaths {
    /** What nn train writes in a run directory. */
    private static final List<String> RUN_FILES = List.of("model", "checkpoints", "metrics.jsonl", "curves.png",
            RunConfig.FILE, RunDirectory.LOCK);

    private OutputPaths() {
    }

    /**
     * Why {@code out} may not be written, as words that follow the path ("is a directory"), or
     * empty when it may.
     *
     * @param model the model or run directory the command reads
     * @param data a data file the command reads, or null
     */
    static Optional<String> problem(Path out, Path model, Path data) throws IOException {
        if (out.toString().isEmpty()) {
            return Optional.of("names no file");
        }
        Path target = real(out);
        if (Files.isDirectory(target)) {
            return Optional.of("is a directory");
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of("is not a plain file (a link, device or pipe)");
        }
        if (data != null && Files.exists(target) && Files.exists(data) && Files.isSameFile(target, data)) {
            return Optional.of("is the --data file");
        }
        Path dir = real(model);
        if (kept(dir).stream().anyMatch(target::startsWith)) {
            return Optional.of("is part of the model or run in " + model);
        }
        return Optional.empty();
    }

    /**
     * The refusal of {@code --option out}: the problem and, unless the option is empty, that the
     * file would replace what is there.
     */
    static String refusal(String option, Path out, String problem, String what) {
        return option + " " + (out.toString().isEmpty() ? "''" : out) + " " + problem
                + (out.toString().isEmpty() ? "" : ": " + what + " would replace it") + ". Give another file name";
    }

    /** Refuses, in words, an output whose folder is missing or is a file, before anything is computed for it. */
    static void requireFolder(Path out) throws IOException {
        Path folder = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new IOException("could not write " + out + ": " + (Files.exists(folder) ? "a folder on its path is a file"
                    : "its folder does not exist") + ".");
        }
    }

    /** The paths writing must stay out of: a run's own files, or a whole model directory (and its run's files). */
    private static List<Path> kept(Path dir) {
        List<Path> kept = new ArrayList<>();
        if (Files.isDirectory(dir.resolve("model"))) {
            RUN_FILES.forEach(f -> kept.add(dir.resolve(f)));
            return kept;
        }
        kept.add(dir);
        Path run = dir.getParent();
        if (run != null && dir.getFileName().toString().equals("model") && (Files.exists(run.resolve(RunConfig.FILE))
                || Files.isDirectory(run.resolve("checkpoints")))) {
            RUN_FILES.forEach(f -> kept.add(run.resolve(f))); // --model RUN/model: its run's files too
        }
        return kept;
    }

    /** {@code p} absolute, with the links of its longest existing ancestor resolved. */
    static Path real(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs));
    }
}
