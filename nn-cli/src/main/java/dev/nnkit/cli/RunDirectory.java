package dev.nnkit.cli;

import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.files.AtomicDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The {@code --out} directory of {@code nn train}, held for the whole run: locked so that a second
 * {@code nn train} on it is refused instead of interleaving its files, and never silently reused,
 * so a new run cannot wipe the history of an old one. {@code --overwrite} replaces only files nnkit
 * recognises as its own (by content, not by name), and only once training starts, so a run refused
 * for a bad config or bad data leaves the old one whole.
 *
 * <p>The lock is an OS file lock on {@code DIR/.nn-train.lock}, released by the kernel when the
 * process dies, so a killed run never leaves the directory locked. The file holds the holder's
 * pid and start time, for the message the second run prints.
 */
final class RunDirectory implements AutoCloseable {
    /** What a run writes; any of them present means the directory holds a run. */
    static final List<String> RUN_FILES = List.of("model", "checkpoints", "metrics.jsonl", "curves.png", RunConfig.FILE);
    static final String LOCK = ".nn-train.lock";
    /**
     * Directories this JVM holds. Checked before opening the lock file, because closing any channel
     * to a file releases every lock the process holds on it (POSIX), so a second, refused attempt
     * from this JVM must not open and close one.
     */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** How a run treats what the directory already holds. */
    enum Use {
        /** A new run: the directory must not hold one. */
        NEW,
        /** A new run replacing the one the directory holds (--overwrite). */
        REPLACE,
        /** Continue the run the directory holds (--resume). */
        CONTINUE
    }

    private final Path dir;
    private final Path key;
    /** The outermost directory this run created (--out or a missing parent of it), or null. */
    private final Path created;
    private final Use use;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectory(Path dir, Path key, Path created, Use use, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.key = key;
        this.created = created;
        this.use = use;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws InvalidFileException when another run holds it, when it holds a run and {@code use} is
     *     NEW, holds files nnkit did not write and {@code use} is REPLACE, or is missing and {@code use}
     *     is CONTINUE
     */
    static RunDirectory open(Path dir, Use use) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidFileException(dir, "", use == Use.CONTINUE ? "--resume takes a run directory, and this is a "
                    + "file. Give the --out directory of the run to continue." : "--out must be a directory, and this is a "
                    + "file. Give a directory path (it is created if missing).");
        }
        if (use == Use.CONTINUE && !Files.isDirectory(dir)) {
            throw new InvalidFileException(dir, "", "there is no run here to resume: the directory does not exist. "
                    + "Check the path, or start a run with --out " + dir + ".");
        }
        Path created = outermostMissing(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            if (e instanceof java.nio.file.FileAlreadyExistsException || WriteFailure.pathHasAFile(e)) {
                throw new InvalidFileException(dir, "", "cannot be created: a folder on its path is a file. Give another "
                        + "--out.");
            }
            throw new IOException("could not create " + dir + ": " + WriteFailure.reason(e) + ".", e);
        }
        Path key = dir.toRealPath();
        if (!HELD.add(key)) {
            throw inUse(dir, "pid " + ProcessHandle.current().pid() + ", this process");
        }
        FileChannel channel = null;
        FileLock lock = null;
        try {
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dir, holder(channel));
            }
        } finally {
            if (lock == null) {
                HELD.remove(key);
                if (channel != null) {
                    channel.close();
                }
            }
        }
        RunDirectory run = new RunDirectory(dir, key, created, use, channel, lock);
        try {
            run.recordHolder();
            run.check();
        } catch (IOException | RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    private static InvalidFileException inUse(Path dir, String holder) {
        return new InvalidFileException(dir, "", "another nn train is writing this run (" + holder + "). Wait for it "
                + "to finish, or write to another --out.");
    }

    /** Refuses what this use may not touch; deletes nothing. */
    private void check() throws IOException {
        Path configFile = dir.resolve(RunConfig.FILE);
        // A config.json of the user's own (a project folder given as --out) is neither a run nor overwritten.
        boolean foreignConfig = Files.exists(configFile, LinkOption.NOFOLLOW_LINKS) && !RunFiles.isNnkits(configFile);
        if (foreignConfig) {
            throw new InvalidFileException(configFile, "", "nn train saves the run's config here, and this file is not "
                    + "one it wrote (" + RunFiles.expected(RunConfig.FILE) + "). Move it away, or choose another --out.");
        }
        List<String> present = RUN_FILES.stream().filter(f -> Files.exists(dir.resolve(f), LinkOption.NOFOLLOW_LINKS))
                .toList();
        if (use == Use.NEW && !present.isEmpty()) {
            throw new InvalidFileException(dir, "", "already holds a run (" + String.join(", ", present) + "). Continue it "
                    + "with --resume " + dir + ", write to another --out, or add --overwrite to replace it.");
        }
        if (use == Use.REPLACE) {
            for (String f : present) {
                if (!RunFiles.isNnkits(dir.resolve(f))) {
                    throw new InvalidFileException(dir.resolve(f), "", "--overwrite replaces only what nn train wrote, and "
                            + "this is not: " + RunFiles.expected(f) + ". Move it away, or choose another --out.");
                }
            }
        }
    }

    /**
     * With --overwrite, deletes the old run's files: called when training is about to start, after
     * the config, the data and the network were accepted.
     */
    void replaceOldRun() throws IOException {
        if (use != Use.REPLACE) {
            return;
        }
        for (String f : RUN_FILES) {
            Path p = dir.resolve(f);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                AtomicDirectory.deleteRecursively(p);
            } else {
                Files.deleteIfExists(p);
            }
        }
    }

    private void recordHolder() throws IOException {
        String text = "pid " + ProcessHandle.current().pid() + ", started "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(200);
        channel.read(b, 0);
        String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
        return text.matches("pid \\d+, started [0-9T:Z-]+") ? text : "its pid is unknown";
    }

    Path path() {
        return dir;
    }

    /** Unlocks; a directory this run created and left empty is removed, so a failed run leaves nothing behind. */
    @Override
    public void close() throws IOException {
        try {
            removeIfUnused();
        } finally {
            lock.release();
            channel.close();
            HELD.remove(key);
        }
    }

    /**
     * Removes the directories this run created (--out and the parents it lacked) while they hold
     * nothing but the lock file. Also called from a signal handler when a run is stopped before
     * training began.
     */
    void removeIfUnused() throws IOException {
        if (created == null || !onlyLockLeft()) {
            return;
        }
        Files.deleteIfExists(dir.resolve(LOCK));
        for (Path d = dir.toAbsolutePath().normalize(); d != null && d.startsWith(created); d = d.getParent()) {
            try {
                Files.deleteIfExists(d);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                return; // something else was put there meanwhile: leave it
            }
        }
    }

    private boolean onlyLockLeft() throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(LOCK));
        }
    }

    /** The outermost of {@code dir} and its parents that does not exist yet, or null. */
    private static Path outermostMissing(Path dir) {
        Path missing = null;
        for (Path d = dir.toAbsolutePath().normalize(); d != null && !Files.exists(d); d = d.getParent()) {
            missing = d;
        }
        return missing;
    }
}
