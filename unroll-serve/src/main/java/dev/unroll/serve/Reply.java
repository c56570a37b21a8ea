package dev.unroll.serve;

import java.nio.charset.StandardCharsets;

/**
 * What the server answers to one request, before HTTP framing.
 *
 * @param status      HTTP status
 * @param contentType the body's media type
 * @param body        the body's bytes
 * @param allow       the methods a path accepts, for a 405 (else null)
 */
record Reply(int status, String contentType, byte[] body, String allow) {
    static final String JSON = "application/json";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    static Reply json(int status, byte[] body) {
        return new Reply(status, JSON, body, null);
    }

    static Reply text(String contentType, String body) {
        return new Reply(200, contentType, body.getBytes(StandardCharsets.UTF_8), null);
    }

    /** The JSON error answer for {@code e}. */
    static Reply error(ApiException e, String allow) {
        return new Reply(e.status, JSON, JsonBodies.error(e.status, e.getMessage()), allow);
    }
}
