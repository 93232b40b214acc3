package dev.nnkit.io.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** The committed seed inputs under src/test/resources/fuzz/, and byte-level mutations of them. */
final class Corpus {
    private static final byte[] INTERESTING = {0, -1, 1, 127, -128, '{', '}', '[', ']', '"', ',', ':', '-', '0', '9', 'e',
        '\n', '\r', ' ', 'N'};

    private Corpus() {
    }

    static List<byte[]> of(String target) {
        try {
            Path dir = Path.of(Corpus.class.getResource("/fuzz/" + target).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.sorted().map(Corpus::read).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> files(String target) {
        return list("/fuzz/" + target);
    }

    /** The hostile data files of one kind (csv, idx, idx-labels) kept in src/test/resources/hostile/. */
    static List<Path> hostile(String kind) {
        return list("/hostile/" + kind);
    }

    private static List<Path> list(String resource) {
        try {
            Path dir = Path.of(Corpus.class.getResource(resource).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One to four random edits: flip a bit, set an interesting byte, truncate, duplicate or delete a slice. */
    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                default -> {
                    // overwrite 8 bytes with a random little-endian long (header lengths, sizes)
                    for (int i = 0; i < 8 && at + i < b.length; i++) {
                        b[at + i] = (byte) r.nextInt(256);
                    }
                }
            }
        }
        return b;
    }
}
