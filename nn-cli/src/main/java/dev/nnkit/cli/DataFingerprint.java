package dev.nnkit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Identifies training data by content: SHA-256 over its files' bytes, so a resumed run can tell
 * that it is being handed other data (another file, or the same file edited) before continuing
 * on it. Reading costs about a second per gigabyte.
 */
final class DataFingerprint {
    private DataFingerprint() {
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
