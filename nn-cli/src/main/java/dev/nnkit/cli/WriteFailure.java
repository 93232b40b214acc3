package dev.nnkit.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;

/** Why a write failed, in words: the JDK gives "No space left on device" or only a path. */
final class WriteFailure {
    private WriteFailure() {
    }

    /** Whether the failure is a file where a folder of the path should be ("Not a directory"). */
    static boolean pathHasAFile(IOException e) {
        return e instanceof java.nio.file.NotDirectoryException
                || e instanceof FileSystemException f && "Not a directory".equals(f.getReason());
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "its folder does not exist";
        }
        if (pathHasAFile(e)) {
            return "a folder on its path is a file";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : "the file system refused to write " + f.getFile();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
