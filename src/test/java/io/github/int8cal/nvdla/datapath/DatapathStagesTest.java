package io.github.int8cal.nvdla.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each stage against values computed by hand from docs/nvdla-arithmetic.md. */
class DatapathStagesTest {

    private static final long INT32_MAX = Integer.MAX_VALUE;
    private static final long INT32_MIN = Integer.MIN_VALUE;

    @Test
    void caccRoundsNegativeTiesAwayFromZero() {
        // docs/nvdla-arithmetic.md#a-trace-computed-by-hand: acc = -1824, CLIP_TRUNCATE 6: -1824 / 64 = -28.5 -> -29
        // (half-up would give -28)
        assertEquals(-29, Cacc.clipTruncate(-1824, 6));
        assertEquals(29, Cacc.clipTruncate(1824, 6));
        assertEquals(-28, Cacc.clipTruncate(-1823, 6));            // -28.48
        assertEquals(51, Cacc.clipTruncate(206906, 12));           // dc_6x8x192_3x3x192x32_int8_0: 50.51 -> 51
        assertFalse(Cacc.saturates(-1824, 6));
    }

    @Test
    void caccSaturatesToInt32AndCountsIt() {
        assertEquals(INT32_MAX, Cacc.clipTruncate(1L << 40, 0));
        assertEquals(INT32_MIN, Cacc.clipTruncate(-(1L << 40), 0));
        assertTrue(Cacc.saturates(1L << 40, 0));
        assertEquals(INT32_MAX, Cacc.clipTruncate((1L << 40) - 1, 9), "2^31 - 2^-9 rounds to 2^31, clamps");
        assertFalse(Cacc.saturates((1L << 40) - (1L << 9), 9), "2^31 - 1 exactly");
    }

    @Test
    void convolutionReproducesTheOneByOneWalkThrough() {
        // the hand-computed trace (dc_1x1x8_1x1x8x1_int8_0): features [0,0,0,111,0,16,0,0],
        // weights [117,-108,97,0,-86,-114,-3,63] -> acc = 111*0 + 16*(-114) = -1824 -> CACC -29
        byte[] feature = {0, 0, 0, 111, 0, 16, 0, 0};
        byte[] weights = {117, -108, 97, 0, -86, -114, -3, 63};
        ConvParams p = new ConvParams(1, 1, 8, 1, 1, 1, 1, 2, 4, 14, 0, 0, 1, 1, -64);
        try (ConvolutionEngine engine = new ConvolutionEngine(1)) {
            CaccOutput out = engine.convolve(feature, weights, p, 6);
            assertArrayEquals(new int[] {-29}, out.values());
            assertEquals(0, out.saturated());
        }
        // SDP output converter of that trace: offset 1036199147, scale -23501, shift 33
        OutputConverter cvt = new OutputConverter(1036199147, -23501, 33);
        SdpOutput sdp = SdpStage.run(new int[] {-29, 0, 0, 0, 0, 0, 0, 0}, 8, 1, 1,
                new SdpConfig(XUnit.BYPASSED, XUnit.BYPASSED, YUnit.BYPASSED, cvt, true));
        // (-29 - 1036199147) * -23501 = 24351716835176; / 2^33 = 2834.9 -> 2835: fits 17 bits, clips to 127;
        // padding lanes (CACC 0): 1036199147 * 23501 / 2^33 -> 2835 -> 127 as well
        byte[] expected = new byte[8];
        java.util.Arrays.fill(expected, (byte) 127);
        assertArrayEquals(expected, sdp.values());
        assertEquals(2835, cvt.unsaturated17(-29));
        assertEquals(0, sdp.cvt17Saturated(), "no 17-bit clamp although every value clips to int8");
        assertEquals(1, sdp.int8Clipped(), "only the real channel is counted");
    }

    @Test
    void outputConverterCountsOnlySeventeenBitClamps() {
        OutputConverter cvt = new OutputConverter(0, 1, 0);
        SdpOutput out = SdpStage.run(new int[] {65535, 65536, -65536, -65537, 200}, 5, 5, 1,
                new SdpConfig(XUnit.BYPASSED, XUnit.BYPASSED, YUnit.BYPASSED, cvt, true));
        assertEquals(2, out.cvt17Saturated(), "65536 and -65537 exceed 17 bits");
        assertEquals(5, out.int8Clipped());
        assertArrayEquals(new byte[] {127, 127, -128, -128, 127}, out.values());
        assertEquals(0, new OutputConverter(5, 3, 49).unsaturated17(1000), "shift >= 49 gives 0 (RTL)");
        assertEquals(-3, new OutputConverter(-2, 1, 1).unsaturated17(-7), "(-7 + 2) / 2 = -2.5 -> -3");
    }

    @Test
    void cdmaConverterSaturatesAtSeventeenThenEightBits() {
        // dc_8192x1x1_2x3x1x41_int8_0, the nv_small trace with the converter on: d = -32, offset 5529, scale -31420,
        // truncate 3: (-5561)(-31420)/8 = 21840827.5 -> 21840828 -> sat17 65535 -> sat8 127
        CdmaInputConverter cvt = new CdmaInputConverter(true, 5529, -31420, 3);
        assertEquals(127, cvt.convert(-32));
        assertEquals(-3, new CdmaInputConverter(true, 0, 5, 1).convert(-1), "-5/2 = -2.5 -> -3");
        assertEquals(0, new CdmaInputConverter(true, 0, 5, 34).convert(100), "shift >= 34 gives 0");
        assertEquals(-77, CdmaInputConverter.DISABLED.convert(-77));
        byte[] data = {-32, -1};
        cvt.convertInPlace(data);
        assertArrayEquals(new byte[] {127, (byte) cvt.convert(-1)}, data);
    }

    @Test
    void xUnitShiftsTheAluOperandLeftAndMultipliesWithRounding() {
        // sdp_3x3x33_bs_int8_reg_0: SUM(op 2 << 1) -> MUL(op 2, shift 1) -> ReLU
        XUnit x = new XUnit(false, false, AluAlgo.SUM, false, false, false, 1, 1, SdpOperand.register(2),
                SdpOperand.register(2));
        assertEquals(9, x.apply(5, 2, 2), "(5 + 4) * 2 / 2 = 9");
        assertEquals(0, x.apply(-20, 2, 2), "ReLU");
        XUnit max = new XUnit(false, false, AluAlgo.MAX, true, false, true, 0, 0, null, null);
        assertEquals(7, max.apply(-3, 7, 0));
        XUnit min = new XUnit(false, false, AluAlgo.MIN, true, false, true, 0, 0, null, null);
        assertEquals(-3, min.apply(-3, 7, 0));
        XUnit eql = new XUnit(false, false, AluAlgo.EQL, true, false, true, 0, 0, null, null);
        assertEquals(4, eql.apply(-3, 7, 0), "ALGO=3 acts as SUM in X units");
    }

    @Test
    void xUnitMultiplierBypassStillAppliesTheTruncateShift() {
        XUnit x = new XUnit(false, true, AluAlgo.SUM, true, false, true, 0, 2, null, null);
        assertEquals(3, x.apply(10, 0, 0), "10 / 4 = 2.5 -> 3");
        assertEquals(-3, x.apply(-10, 0, 0), "-2.5 -> -3");
    }

    @Test
    void preluPassesNonNegativeValuesWithoutMultiplyOrShift() {
        XUnit prelu = new XUnit(false, true, AluAlgo.SUM, false, true, true, 0, 1, null, null);
        assertEquals(7, prelu.apply(7, 0, 3), "a >= 0: no multiply, no shift");
        assertEquals(0, prelu.apply(0, 0, 3), "a == 0 takes the pass-through path");
        assertEquals(-11, prelu.apply(-7, 0, 3), "-21 / 2 = -10.5 -> -11");
        // 33-bit ALU result 2^31 keeps its low 32 bits on the pass-through path: wraps to -2^31
        XUnit sum = new XUnit(false, false, AluAlgo.SUM, false, true, true, 0, 0, null, null);
        assertEquals(INT32_MIN, sum.apply(INT32_MAX, 1, 5));
    }

    @Test
    void xUnitSaturatesOperandShiftAndProductToInt32() {
        XUnit shifted = new XUnit(false, false, AluAlgo.MAX, true, false, true, 40, 0, null, null);
        assertEquals(INT32_MAX, shifted.apply(0, 1, 0), "1 << 40 clamps to int32 before the ALU");
        XUnit shiftedMin = new XUnit(false, false, AluAlgo.MIN, true, false, true, 40, 0, null, null);
        assertEquals(INT32_MIN, shiftedMin.apply(0, -1, 0), "-1 << 40 clamps to -2^31");
        XUnit mul = XUnit.multiply(SdpOperand.register(32767), 0, false);
        assertEquals(INT32_MAX, mul.apply(INT32_MAX, 0, 32767));
        assertEquals(INT32_MIN, mul.apply(INT32_MIN, 0, 32767));
        assertEquals(INT32_MIN, mul.apply(INT32_MAX, 0, -32768));
    }

    @Test
    void yUnitMultipliesBeforeTheAluAndComparesInEqlMode() {
        YUnit y = new YUnit(false, false, AluAlgo.SUM, false, false, true, 2, SdpOperand.register(10),
                OperandConverter.BYPASSED, SdpOperand.register(3), OperandConverter.BYPASSED);
        assertEquals(15, y.apply(7, 10, 3), "rnd(7 * 3 / 4) = 5, then + 10");
        YUnit prelu = new YUnit(false, true, AluAlgo.SUM, false, true, true, 2, null, OperandConverter.BYPASSED,
                null, OperandConverter.BYPASSED);
        assertEquals(7, prelu.apply(7, 0, 3), "PReLU passes d >= 0");
        assertEquals(-5, prelu.apply(-7, 0, 3), "-21 / 4 = -5.25 -> -5");
        YUnit eql = new YUnit(false, false, AluAlgo.EQL, true, false, true, 0, null, OperandConverter.BYPASSED,
                null, OperandConverter.BYPASSED);
        assertTrue(eql.compareMode());
        assertEquals(0, eql.apply(4, 4, 0));
        assertEquals(1, eql.apply(4, 5, 0));
        // memory operands pass the converter: (x - off) * scale >> trunc
        OperandConverter cvt = new OperandConverter(false, 3, 5, 1);
        assertEquals(-13, cvt.convert(-2), "(-2 - 3) * 5 / 2 = -12.5 -> -13");
        assertEquals(-2, OperandConverter.BYPASSED.convert(-2));
    }
}
