package io.github.int8cal.fixedpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoundingTest {

    @Test
    void roundsNegativeTiesAwayFromZero() {
        assertEquals(-29, Rounding.roundHalfAwayFromZero(-28.5));
        assertEquals(29, Rounding.roundHalfAwayFromZero(28.5));
        assertEquals(-28, Rounding.roundHalfAwayFromZero(-28.49));
        assertEquals(0, Rounding.roundHalfAwayFromZero(0.49));
    }

    @Test
    void shiftRoundsTiesAwayFromZero() {
        // -57 / 2 = -28.5 -> -29 (spec example); 57 / 2 = 28.5 -> 29
        assertEquals(-29, Rounding.shiftRightRoundHalfAwayFromZero(-57, 1));
        assertEquals(29, Rounding.shiftRightRoundHalfAwayFromZero(57, 1));
        // -5 / 4 = -1.25 -> -1 ; -6 / 4 = -1.5 -> -2
        assertEquals(-1, Rounding.shiftRightRoundHalfAwayFromZero(-5, 2));
        assertEquals(-2, Rounding.shiftRightRoundHalfAwayFromZero(-6, 2));
        assertEquals(-3, Rounding.shiftRightRoundHalfAwayFromZero(-3, 0));
    }

    @Test
    void aNegativeShiftIsRejectedNotTurnedIntoALeftShift() {
        // it used to return 5 << 3 = 40 without saturating
        assertThrows(IllegalArgumentException.class, () -> Rounding.shiftRightRoundHalfAwayFromZero(5, -3));
        assertThrows(IllegalArgumentException.class, () -> Rounding.shiftLeftSaturate(5, -3, 32));
        assertThrows(IllegalArgumentException.class, () -> Rounding.saturate(5, 64));
        assertEquals(40, Rounding.shiftLeftSaturate(5, 3, 32));
        assertEquals(0, Rounding.shiftRightRoundHalfAwayFromZero(Long.MAX_VALUE, 63));
    }

    @Test
    void saturatesToSignedRange() {
        assertEquals(127, Rounding.saturate(300, 8));
        assertEquals(-128, Rounding.saturate(-129, 8));
        assertEquals(65535, Rounding.saturate(70000, 17));
        assertEquals(-65536, Rounding.saturate(-70000, 17));
        assertEquals(Integer.MAX_VALUE, Rounding.saturate(1L << 40, 32));
        assertTrue(Rounding.saturates(128, 8));
        assertFalse(Rounding.saturates(-128, 8));
    }
}
