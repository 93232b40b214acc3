package dev.nnkit.io.files;

import dev.nnkit.io.InvalidFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opening what a user names as a file: a directory, a device such as /dev/zero, or a file far too
 * large for its kind is refused with a message saying so, instead of the JDK's bare "Is a
 * directory" or an endless read.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Checks that {@code file} is a regular file.
     *
     * @param what what the file should be, for the message ("training config", "CSV or IDX data")
     * @throws NoSuchFileException when it does not exist
     * @throws InvalidFileException when it is a directory or not a regular file
     */
    public static void requireFile(Path file, String what) throws IOException {
        if (Files.isDirectory(file)) {
            throw new InvalidFileException(file, "", "is a directory; give the " + what + " file itself.");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidFileException(file, "", "is not a regular file (a device, pipe or socket); give a " + what
                    + " file.");
        }
    }

    /**
     * Reads a whole file of at most {@code limit} bytes, after {@link #requireFile}.
     *
     * @throws InvalidFileException when it is larger than {@code limit}
     */
    public static byte[] readAll(Path file, long limit, String what) throws IOException {
        requireFile(file, what);
        long size = Files.size(file);
        if (size > limit) {
            throw new InvalidFileException(file, "", "is " + size + " bytes; a " + what + " is at most " + limit
                    + " bytes. Is this the right file?");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length > limit) { // it grew while being read
            throw new InvalidFileException(file, "", "grew beyond " + limit + " bytes while being read.");
        }
        return bytes;
    }
}
