package dev.unroll.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NumbersTest {
    @Test
    void decimalFormsParse() {
        assertEquals(1.5f, Numbers.parseFloat("1.5"));
        assertEquals(-0.5f, Numbers.parseFloat("-.5"));
        assertEquals(5f, Numbers.parseFloat("+5."));
        assertEquals(1.25e-7, Numbers.parseDouble("1.25E-7"));
        assertEquals(3e38f, Numbers.parseFloat("3e38"));
    }

    @Test
    void everythingElseIsNaN() {
        for (String s : new String[] {"", " 1", "1 ", "0x1p3", "0x10", "NaN", "Infinity", "-Infinity", "1f", "2.5d", "1e", "1e+",
                ".", "+", "-", "--1", "1.2.3", "1,5", "1e40", "١٢", "1_000"}) {
            assertTrue(Float.isNaN(Numbers.parseFloat(s)), s);
        }
        assertTrue(Double.isNaN(Numbers.parseDouble("1e400")));
        assertEquals(1e40, Numbers.parseDouble("1e40"));
    }
}
