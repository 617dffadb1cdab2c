package io.github.int8cal.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShortestDoubleTest {

    /** Expected strings printed by CPython 3 {@code repr()} for the same doubles. */
    @Test
    void matchesPythonReprOnRepresentativeValues() {
        assertEquals("0.013724617660045624", ShortestDouble.repr(0.013724617660045624f));
        assertEquals("0.00025103209", ShortestDouble.repr(2.5103209e-4));
        assertEquals("16557.0", ShortestDouble.repr(16557.0));
        assertEquals("1e+16", ShortestDouble.repr(1e16));
        assertEquals("1.5e-05", ShortestDouble.repr(1.5e-5));
        assertEquals("0.0001", ShortestDouble.repr(0.0001));
        assertEquals("123456789012345.6", ShortestDouble.repr(123456789012345.6));
        assertEquals("-0.5", ShortestDouble.repr(-0.5));
        assertEquals("0.10000000149011612", ShortestDouble.repr(0.1f));
        assertEquals("0.0002510249614715576", ShortestDouble.repr(Math.scalb(16846.0, -26)));
        assertEquals("1e+22", ShortestDouble.repr(1e22));
        assertEquals("5e-324", ShortestDouble.repr(Double.MIN_VALUE));
        assertEquals("0.3", ShortestDouble.repr(0.3));
        assertEquals("0.0", ShortestDouble.repr(0.0));
    }

    @Test
    void roundTripsRandomDoubles() {
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 20000; i++) {
            double v = Double.longBitsToDouble(r.nextLong());
            if (Double.isFinite(v)) {
                assertEquals(v, Double.parseDouble(ShortestDouble.repr(v)), ShortestDouble.repr(v));
            }
        }
    }
}
