package dev.unroll.io;

/**
 * Text that is not valid JSON, or nested deeper than {@link Json#maxDepth()}: the message gives the
 * character position and an excerpt. An {@link IllegalArgumentException}, as the text is the
 * caller's argument; readers of files wrap it in their own exception naming the file.
 */
public class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
