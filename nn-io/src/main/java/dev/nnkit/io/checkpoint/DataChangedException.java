package dev.nnkit.io.checkpoint;

import dev.nnkit.io.InvalidFileException;
import java.nio.file.Path;

/**
 * A checkpoint was written while training on other data than the run now has: resuming would
 * silently continue on different examples, so it is refused unless the caller accepts it
 * ({@link Checkpoints#acceptingOtherData()}).
 */
public final class DataChangedException extends InvalidFileException {
    private static final long serialVersionUID = 1L;

    DataChangedException(Path stateFile, String then, String now) {
        super(stateFile, "/dataFingerprint", "this run was trained on other data (" + then + "; the data now: " + now
                + "). Resuming would continue on different examples: resume with the data the run started with.");
    }
}
