package dev.unroll.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helper: error messages must name what was expected and what was found. */
final class MessageAssert {
    private MessageAssert() {
    }

    /** Asserts that the message of {@code error} contains every fragment. */
    static void assertMentions(Throwable error, String... fragments) {
        String message = error.getMessage();
        for (String fragment : fragments) {
            assertTrue(message != null && message.contains(fragment),
                    () -> "expected the message to mention \"" + fragment + "\", but it is: " + message);
        }
    }
}
