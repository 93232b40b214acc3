package dev.nnkit.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a file whole or not at all: into {@code .NAME.PID-THREAD.tmp} beside it, forced to disk,
 * then renamed over it. A JVM stopped by Ctrl-C or SIGTERM deletes the temporary file it was
 * writing (a shutdown hook); one killed outright leaves it, and the next write to that name
 * deletes the leftovers of processes no longer alive.
 */
final class AtomicFile {
    private AtomicFile() {
    }

    /** The temporary files being written now. */
    private static final class InFlight {
        static final Set<Path> FILES = ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> FILES.forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // the JVM is stopping; nothing better to do
                }
            }), "onnx-export-cleanup"));
        }
    }

    static void write(byte[] bytes, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String prefix = "." + file.getFileName() + ".";
        deleteLeftovers(dir, prefix);
        Path temp = dir.resolve(prefix + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId() + ".tmp");
        InFlight.FILES.add(temp);
        try {
            // CREATE_NEW: the usual permissions (Files.createTempFile would make it readable by its owner only)
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
            InFlight.FILES.remove(temp);
        }
    }

    /** Deletes {@code .NAME.PID-THREAD.tmp} files whose process has ended (killed while writing). */
    private static void deleteLeftovers(Path dir, String prefix) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob(prefix) + "*-*.tmp")) {
            for (Path f : files) {
                String rest = f.getFileName().toString().substring(prefix.length());
                try {
                    long pid = Long.parseLong(rest.substring(0, rest.indexOf('-')));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        Files.deleteIfExists(f);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
    }

    /** {@code text} with the glob's special characters escaped. */
    private static String glob(String text) {
        return text.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
    }
}
