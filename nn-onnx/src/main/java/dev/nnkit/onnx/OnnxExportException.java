package dev.nnkit.onnx;

/**
 * A model that cannot be written as ONNX: a stage whose plugin has no ONNX mapping, or a mapping
 * that failed. The message names the stage, its plugin id and what to do.
 */
public final class OnnxExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OnnxExportException(String message) {
        super(message);
    }

    public OnnxExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
