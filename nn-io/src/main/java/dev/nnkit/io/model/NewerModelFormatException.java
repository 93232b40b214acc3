package dev.nnkit.io.model;

import dev.nnkit.io.InvalidFileException;
import java.nio.file.Path;

/** A model directory written by a newer nnkit, in a format version this one cannot read: upgrade nnkit. */
public final class NewerModelFormatException extends InvalidFileException {
    private static final long serialVersionUID = 1L;
    private final long version;
    private final int newestReadable;

    public NewerModelFormatException(Path file, String place, long version, int newestReadable, String problem) {
        super(file, place, problem);
        this.version = version;
        this.newestReadable = newestReadable;
    }

    /** The file's format version ({@link Long#MAX_VALUE} for one beyond a long). */
    public long version() {
        return version;
    }

    /** The newest format version this nnkit reads. */
    public int newestReadable() {
        return newestReadable;
    }
}
