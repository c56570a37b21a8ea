package dev.unroll.infer;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StripedPoolTest {

    @Test
    void givesBackWhatItWasGivenAndHoldsABoundedNumber() {
        StripedPool<Object> pool = new StripedPool<>(4);
        assertNull(pool.take(), "empty at first");
        Object a = new Object();
        pool.give(a);
        assertSame(a, pool.take());
        assertNull(pool.take());
        Map<Object, Boolean> given = new IdentityHashMap<>();
        for (int i = 0; i < 100; i++) {
            Object o = new Object();
            given.put(o, true);
            pool.give(o);
        }
        int held = 0;
        for (Object o; (o = pool.take()) != null; held++) {
            assertTrue(given.containsKey(o));
        }
        assertTrue(held >= 1 && held <= 4, "a thread reaches at most its probes' slots, got " + held);
    }
}
