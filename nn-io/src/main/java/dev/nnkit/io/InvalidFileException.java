package dev.nnkit.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file's content is malformed or hostile. The message names the file, the place (line and
 * column, byte offset, or JSON pointer), the offending value and the fix.
 */
public class InvalidFileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String place;
    private final String problem;

    public InvalidFileException(Path file, String place, String problem) {
        super(file + (place.isEmpty() ? "" : " at " + place) + ": " + problem);
        this.file = file;
        this.place = place;
        this.problem = problem;
    }

    /** What is wrong and the fix, without the file and place. */
    public String problem() {
        return problem;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** Where in the file: "line 3, column 2", "byte 16", "/optimizer/type"; empty for the whole file. */
    public String place() {
        return place;
    }
}
