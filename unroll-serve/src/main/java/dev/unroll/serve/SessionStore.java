package dev.unroll.serve;

import dev.unroll.infer.SessionState;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's open streaming sessions: an unguessable id (128 random bits) for each
 * {@link SessionState}, at most {@code capacity} at once, closed when unused for
 * {@code idleNanos}. A session takes one step at a time: a step on a session whose previous step
 * is still running is refused ({@code 409}), so its states follow each other in order.
 */
final class SessionStore {
    /** One open session: its latest state, whether a step holds it, and when it was last used. */
    static final class Session {
        final String id;
        volatile SessionState state;
        private final AtomicBoolean busy = new AtomicBoolean();
        volatile long lastUsed;

        private Session(String id, SessionState state, long now) {
            this.id = id;
            this.state = state;
            this.lastUsed = now;
        }

        /** Claims the session for one step; false if another step holds it. */
        boolean claim() {
            return busy.compareAndSet(false, true);
        }

        /** Ends the step: {@code next} (or null, to keep the state) becomes the state. */
        void release(SessionState next, long now) {
            if (next != null) {
                state = next;
            }
            lastUsed = now;
            busy.set(false);
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int capacity;
    private final long idleNanos;
    private final SecureRandom random = new SecureRandom();
    private final LongAdder opened = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder expired = new LongAdder();

    SessionStore(int capacity, long idleNanos) {
        this.capacity = capacity;
        this.idleNanos = idleNanos;
    }

    /** Opens a session at {@code state}; a 429 when {@code capacity} are open. */
    Session open(SessionState state, long now) {
        if (count.incrementAndGet() > capacity) {
            count.decrementAndGet();
            throw new ApiException(429, "the server holds its maximum of " + capacity + " open sessions (--max-sessions); close one"
                    + " (DELETE /sessions/{id}) or wait for idle ones to expire");
        }
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        Session s = new Session(id, state, now);
        sessions.put(id, s);
        opened.increment();
        return s;
    }

    /** The open session {@code id}; a 404 naming it otherwise. */
    Session get(String id) {
        Session s = sessions.get(id);
        if (s == null) {
            throw new ApiException(404, "no open session '" + id + "' (closed, expired, or never opened)");
        }
        return s;
    }

    /** Closes session {@code id}; a 404 if it is not open. */
    void close(String id) {
        if (sessions.remove(id) == null) {
            throw new ApiException(404, "no open session '" + id + "' (closed, expired, or never opened)");
        }
        count.decrementAndGet();
        closed.increment();
    }

    /** Closes the sessions unused for longer than the idle time (none that a step holds); returns how many. */
    int expire(long now) {
        int n = 0;
        for (Session s : sessions.values()) {
            if (now - s.lastUsed > idleNanos && s.claim()) {
                if (sessions.remove(s.id, s)) {
                    count.decrementAndGet();
                    expired.increment();
                    n++;
                }
            }
        }
        return n;
    }

    int size() {
        return count.get();
    }

    long opened() {
        return opened.sum();
    }

    long closed() {
        return closed.sum();
    }

    long expired() {
        return expired.sum();
    }
}
