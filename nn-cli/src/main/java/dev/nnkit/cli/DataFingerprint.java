package dev.nnkit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Identifies training data by content: SHA-256 over its files' bytes, so a resumed run can tell
 * that it is being handed other data (another file, or the same file edited) before continuing
 * on it. Reading costs about a second per gigabyte.
 */
final class DataFingerprint {
    private DataFingerprint() {
    }

    /**
     * The fingerprint computed on a thread of its own, so that hashing the files overlaps with
     * loading them (Fashion-MNIST's 30 MB took 0.1-0.2 s after loading); {@link Pending#get} waits.
     */
    static Pending inBackground(List<Path> files) {
        FutureTask<String> task = new FutureTask<>(() -> of(files));
        Thread t = new Thread(task, "nnkit-data-fingerprint");
        t.setDaemon(true); // a failed run exits without waiting for it
        t.start();
        return new Pending(task);
    }

    /** A fingerprint being computed. */
    record Pending(FutureTask<String> task) {
        String get() throws IOException {
            try {
                return task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while fingerprinting the data");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    static String of(List<Path> files) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        byte[] buffer = new byte[1 << 16];
        for (Path f : files) {
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), sha)) {
                while (in.read(buffer) >= 0) {
                    // the digest sees every byte read
                }
            }
            sha.update((byte) 0); // a boundary, so moving bytes between the files changes the result
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }
}
