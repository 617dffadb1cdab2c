package io.github.int8cal.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.fixedpoint.ScaleShift;
import io.github.int8cal.fixedpoint.ShiftedInt16;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The multiplier/shift cases of docs/nvdla-compiler.md#factor-to-multiplier-and-shift at register
 * level, in both modes.
 */
class RequantEncodingCasesTest {

    private static final ShiftedInt16 BIAS = new ShiftedInt16(new long[] {5}, new int[] {5}, 0, new boolean[1]);

    private static Encoded compiler(float r) {
        return CompilerRequantEncoder.encode("L", LayerKind.CONV_BIAS, true, new float[] {r}, BIAS, false);
    }

    private static Encoded precise(double r) {
        return PreciseRequantEncoder.encode("L", LayerKind.CONV_BIAS, true, new double[] {r}, null, BIAS, false, true,
                ConvCoreProgram.COMPILER);
    }

    private static boolean has(Encoded e, DiagnosticCode code, Severity severity) {
        return e.diagnostics().stream().anyMatch(d -> d.code() == code && d.severity() == severity && d.layer().equals("L"));
    }

    @Test
    void compilerPutsPerKernelFactorInOutputConverter() {
        Encoded e = compiler(0.0015f);
        assertEquals(new CvtProgram(25165, 24, 0), e.program().outCvt());
        assertEquals(XOpType.ADD, e.program().x1().type());
        assertEquals(0, e.program().x1().mulShift());
    }

    @Test
    void compilerWarnsAboutShift34() {
        Encoded e = compiler(1e-6f);
        assertEquals(new CvtProgram(17179, 34, 0), e.program().outCvt());
        assertTrue(has(e, DiagnosticCode.SHIFT_ABOVE_31, Severity.WARNING), e.diagnostics()::toString);
    }

    @Test
    void compilerRejects40000AndPreciseEncodesItExactly() {
        Encoded c = compiler(40000f);
        assertNull(c.program());
        assertTrue(has(c, DiagnosticCode.FACTOR_TOO_LARGE, Severity.ERROR));
        Encoded p = precise(40000);
        assertEquals(new CvtProgram(20000, 0, 0), p.program().outCvt());
        assertArrayEquals(new int[] {2}, p.program().x2().mulOperands()); // X2 register pre-multiplier
        assertEquals(40000.0, p.program().effectiveFactor(0));
    }

    @Test
    void compilerRejectsTwoToMinus29AndPreciseEncodesItExactly() {
        Encoded c = compiler(Math.scalb(1f, -29));
        assertNull(c.program());
        assertTrue(has(c, DiagnosticCode.MULTIPLIER_OVERFLOW, Severity.ERROR));
        Encoded p = precise(Math.scalb(1.0, -29));
        assertEquals(new CvtProgram(16384, 43, 0), p.program().outCvt());
        assertEquals(Math.scalb(1.0, -29), p.program().effectiveFactor(0));
    }

    @Test
    void preciseSplitsShiftsBeyond63OverX1AndConverter() {
        Encoded p = precise(1e-15);
        assertEquals(new CvtProgram(18447, 63, 0), p.program().outCvt());
        assertEquals(1, p.program().x1().mulShift());
        assertEquals(Math.scalb(18447.0, -64), p.program().effectiveFactor(0));
        assertTrue(has(compiler(1e-15f), DiagnosticCode.FACTOR_TOO_SMALL, Severity.ERROR));
    }

    @Test
    void compilerSharedShiftCrushesSmallChannels() {
        float[] r = {0.004f, 0.001f, 2e-5f};
        Encoded c = CompilerRequantEncoder.encode("L", LayerKind.CONV_UNIT_SCALE, false, r, null, true);
        XUnitProgram x1 = c.program().x1();
        assertArrayEquals(new int[] {16777, 4194, 83}, x1.mulOperands());
        assertEquals(22, x1.mulShift());
        assertEquals(XOpType.MUL, x1.type());
        assertTrue(x1.relu());
        assertEquals(CvtProgram.IDENTITY, c.program().outCvt());
        assertEquals(List.of(new ScaleShift(16777, 22), new ScaleShift(4194, 22), new ScaleShift(83, 22)),
                c.multipliers());
    }

    @Test
    void preciseKeepsFifteenBitsPerChannelWithX2PowersOfTwo() {
        double[] r = {0.004f, 0.001f, 2e-5f};
        Encoded p = PreciseRequantEncoder.encode("L", LayerKind.CONV_UNIT_SCALE, false, r, 22, null, true, true,
                ConvCoreProgram.COMPILER);
        // natural shifts 22, 24, 30: spread D = 8, guard G = min(22, 23 - 8) = 15, X1 shift 22 - 15 = 7
        assertArrayEquals(new int[] {16777, 16777, 21475}, p.program().x1().mulOperands());
        assertEquals(7, p.program().x1().mulShift());
        assertArrayEquals(new int[] {256, 64, 1}, p.program().x2().mulOperands());
        assertEquals(8, p.program().x2().mulShift());
        assertEquals(new CvtProgram(1, 15, 0), p.program().outCvt());
        for (int k = 0; k < 3; k++) {
            assertTrue(Math.abs(p.program().effectiveFactor(k) / r[k] - 1) <= Math.scalb(1.0, -15));
        }
        // without X2 it falls back to rounded mantissas under the shared shift: 83.886 -> 84
        Encoded noX2 = PreciseRequantEncoder.encode("L", LayerKind.CONV_UNIT_SCALE, false, r, 22, null, true, false,
                ConvCoreProgram.COMPILER);
        assertArrayEquals(new int[] {16777, 4194, 84}, noX2.program().x1().mulOperands());
    }

    @Test
    void compilerSignedMaximumRejectsNegativeFactorsPreciseKeepsSign() {
        float[] r = {-0.004f, 0.001f};
        Encoded c = CompilerRequantEncoder.encode("L", LayerKind.CONV_BATCHNORM, false, r,
                new ShiftedInt16(new long[2], new int[2], 0, new boolean[2]), false);
        assertNull(c.program());
        assertTrue(has(c, DiagnosticCode.SIGNED_MAXIMUM, Severity.WARNING));
        assertTrue(has(c, DiagnosticCode.MULTIPLIER_OVERFLOW, Severity.ERROR));
        Encoded p = PreciseRequantEncoder.encode("L", LayerKind.CONV_BATCHNORM, false, new double[] {-0.004f, 0.001f},
                null, new ShiftedInt16(new long[2], new int[2], 0, new boolean[2]), false, false,
                ConvCoreProgram.COMPILER);
        assertNotNull(p.program());
        assertEquals(-16777, p.program().x1().mulOperands()[0]); // -0.004 * 2^22 = -16777.2
        assertEquals(4194, p.program().x1().mulOperands()[1]);
    }

    @Test
    void largestFactorAbove16384IsReportedAsInconsistentShift() {
        Encoded c = CompilerRequantEncoder.encode("L", LayerKind.CONV_UNIT_SCALE, false, new float[] {20000f, 3f},
                null, false);
        assertTrue(has(c, DiagnosticCode.INCONSISTENT_SHARED_SHIFT, Severity.WARNING));
        // the hardware applies 24576 * 2^-0 to channel 1: the programmed shift wins
        assertEquals(24576.0, c.program().effectiveFactor(1));
    }
}
