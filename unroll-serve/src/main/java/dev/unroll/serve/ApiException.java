package dev.unroll.serve;

/**
 * A request the server refuses, with the HTTP status to answer and a message that says why (what
 * was expected and what came, or which limit and its option): answered as
 * {@code {"error": message, "status": status}}.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** 400: malformed JSON, wrong shapes or values, a task the model cannot do. */
    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** 413: a body, batch, sequence or horizon over its limit. */
    static ApiException tooLarge(String message) {
        return new ApiException(413, message);
    }
}
