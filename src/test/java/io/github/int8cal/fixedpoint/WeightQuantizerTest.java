package io.github.int8cal.fixedpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeightQuantizerTest {

    private static final float[][] W = {{127f, -63.5f, 63.5f, 0.25f}, {12.7f, -6.35f, 0f, 1f}};

    @Test
    void compilerRoundsHalfUpWithOneScalePerTensor() {
        QuantizedWeights q = WeightQuantizer.quantize(W, WeightScope.PER_KERNEL, WeightRounding.COMPILER_HALF_UP_FLOAT32, 1f);
        assertEquals(1f, q.scales()[0]);
        assertEquals(1f, q.scales()[1]);
        assertArrayEquals(new byte[] {127, -63, 64, 0}, q.values()[0]); // -63.5 -> -63 (half up)
        assertArrayEquals(new byte[] {13, -6, 0, 1}, q.values()[1]);
    }

    @Test
    void hardwareRoundingIsHalfAwayFromZero() {
        QuantizedWeights q = WeightQuantizer.quantize(W, WeightScope.PER_KERNEL, WeightRounding.HALF_AWAY_FROM_ZERO, 1f);
        assertArrayEquals(new byte[] {127, -64, 64, 0}, q.values()[0]);
    }

    @Test
    void perFilterScalesEachFilterToFullRange() {
        QuantizedWeights q = WeightQuantizer.quantize(W, WeightScope.PER_FILTER, WeightRounding.COMPILER_HALF_UP_FLOAT32, 1f);
        assertEquals(12.7f / 127f, q.scales()[1]);
        assertEquals(127, q.values()[1][0]);
        assertEquals(-63, q.values()[1][1]); // -6.35 * (1/0.1f) = -63.499996 -> -63
    }

    @Test
    void allZeroFilterGetsTheFallbackScale() {
        QuantizedWeights q = WeightQuantizer.quantize(new float[][] {{0f, 0f}, {1f, -1f}}, WeightScope.PER_FILTER,
                WeightRounding.HALF_AWAY_FROM_ZERO, 1f);
        assertTrue(q.allZero()[0]);
        assertEquals(1f, q.scales()[0]);
        assertArrayEquals(new byte[] {0, 0}, q.values()[0]);
    }
}
