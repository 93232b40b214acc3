package dev.nnkit.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;

/** Why a write failed, in words: the JDK gives "No space left on device" or only a path. */
final class WriteFailure {
    private WriteFailure() {
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "its folder does not exist";
        }
        if (e instanceof java.nio.file.NotDirectoryException || e instanceof FileSystemException f0
                && "Not a directory".equals(f0.getReason())) {
            return "a folder on its path is a file";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : "the file system refused to write " + f.getFile();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
