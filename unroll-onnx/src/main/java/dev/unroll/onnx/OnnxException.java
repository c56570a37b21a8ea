package dev.unroll.onnx;

import java.io.IOException;

/**
 * An ONNX file that Unroll cannot read: malformed (truncated, corrupt, lengths past the end, sizes
 * that do not add up) or well-formed but outside what Unroll imports (an unsupported operator or
 * attribute, a graph that is not a chain of recurrent, dense and normalization layers). The message
 * says what and where — the byte offset for encoding errors, the node for graph errors.
 *
 * <p>It is the only exception {@link OnnxModel#read(byte[])} and {@link OnnxImport} throw for bad
 * content, whatever the bytes: never an index, allocation or stack error.
 */
public class OnnxException extends IOException {
    private static final long serialVersionUID = 1L;

    public OnnxException(String message) {
        super(message);
    }
}
