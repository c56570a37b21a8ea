package dev.unroll.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.infer.Predictor;
import dev.unroll.infer.SessionState;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import org.junit.jupiter.api.Test;

/** Open sessions: bounded, one step at a time each, expired when idle (but not while stepping). */
class SessionStoreTest {
    private final Predictor predictor = Predictor.of(Sequential.of(Recurrent.builder(CellType.RNN, 1, 2).build()));
    private final SessionState zero = predictor.newSession();

    @Test
    void capacityStepsAndClosing() {
        SessionStore store = new SessionStore(2, 1_000);
        SessionStore.Session a = store.open(zero, 0);
        SessionStore.Session b = store.open(zero, 0);
        assertNotEquals(a.id, b.id);
        assertEquals(22, a.id.length(), "128 bits, base64url");
        ApiException full = assertThrows(ApiException.class, () -> store.open(zero, 0));
        assertEquals(429, full.status);
        assertTrue(a.claim());
        assertFalse(a.claim(), "one step at a time");
        SessionState next = predictor.step(zero, new float[] {1f}).state();
        a.release(next, 10);
        assertSame(next, store.get(a.id).state);
        store.close(b.id);
        assertEquals(404, assertThrows(ApiException.class, () -> store.get(b.id)).status);
        assertEquals(404, assertThrows(ApiException.class, () -> store.close(b.id)).status);
        assertEquals(1, store.size());
        store.open(zero, 0);
        assertEquals(2, store.size());
        assertEquals(2, store.opened() - store.closed() - store.expired());
    }

    @Test
    void idleSessionsExpireButNotOneThatIsStepping() {
        SessionStore store = new SessionStore(10, 1_000);
        SessionStore.Session idle = store.open(zero, 0);
        SessionStore.Session stepping = store.open(zero, 0);
        SessionStore.Session recent = store.open(zero, 900);
        assertTrue(stepping.claim());
        assertEquals(1, store.expire(1_500));
        assertEquals(404, assertThrows(ApiException.class, () -> store.get(idle.id)).status);
        assertSame(stepping, store.get(stepping.id));
        assertSame(recent, store.get(recent.id));
        assertEquals(1, store.expired());
    }
}
