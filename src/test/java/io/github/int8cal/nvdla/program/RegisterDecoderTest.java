package io.github.int8cal.nvdla.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.datapath.ConvParams;
import io.github.int8cal.nvdla.datapath.SdpConfig;
import io.github.int8cal.nvdla.datapath.SdpOperand;
import io.github.int8cal.plan.ConvCoreProgram;
import io.github.int8cal.plan.CvtProgram;
import io.github.int8cal.plan.HardwareOp;
import io.github.int8cal.plan.OperandSource;
import io.github.int8cal.plan.SdpProgram;
import io.github.int8cal.plan.XOpType;
import io.github.int8cal.plan.XUnitProgram;
import org.junit.jupiter.api.Test;

/** Emitted register writes read back into datapath settings, on both register families. */
class RegisterDecoderTest {

    /** A per-filter super op: X1 BOTH from memory [bias16, m], X2 ADD of the per-point operand, CVT. */
    static SdpProgram superOp() {
        XUnitProgram x1 = new XUnitProgram(XOpType.BOTH, OperandSource.MEMORY_PER_CHANNEL, new int[] {-300, 7, 0},
                3, new int[] {16384, 20000, -5}, 21, false);
        XUnitProgram x2 = new XUnitProgram(XOpType.ADD, OperandSource.MEMORY_PER_POINT_INT8, new int[0], 0,
                new int[0], 0, true);
        return new SdpProgram(ConvCoreProgram.withCaccClip(2), x1, x2, new CvtProgram(23456, 15, 0));
    }

    @Test
    void superOpDecodesToTheProgrammedUnitsOnNvSmallAndNvFull() {
        for (HardwareConfig hw : new HardwareConfig[] {HardwareConfig.NV_SMALL, HardwareConfig.NV_FULL}) {
            LayerProgram emitted = new RegisterEmitter(hw).emit(RegisterEmitterTest.layer(HardwareOp.CONV_SDP,
                    superOp()));
            ConvParams geometry = ConvParams.of(8, 2, 2, 3, 1, 1, 1, 0, 1, 0);
            int[] perPoint = new int[3 * 4];
            perPoint[5] = -9;
            io.github.int8cal.nvdla.datapath.ConvLayerConfig r = new RegisterDecoder(hw).convLayer(emitted,
                    geometry, perPoint);
            assertEquals(2, r.clipTruncate());
            assertTrue(r.cdma().enabled());
            assertEquals(1, r.cdma().scale());
            SdpConfig sdp = r.sdp();
            assertFalse(sdp.x1().bypass());
            assertFalse(sdp.x1().aluBypass());
            assertFalse(sdp.x1().mulBypass());
            assertTrue(sdp.x1().reluBypass());
            assertEquals(3, sdp.x1().aluShift());
            assertEquals(21, sdp.x1().mulShift());
            assertEquals(-300, sdp.x1().aluOperand().value(0, 0));
            assertEquals(7, sdp.x1().aluOperand().value(1, 3));
            assertEquals(20000, sdp.x1().mulOperand().value(1, 0));
            assertEquals(-5, sdp.x1().mulOperand().value(2, 0));
            assertTrue(sdp.x2().mulBypass());
            assertFalse(sdp.x2().reluBypass());
            assertTrue(sdp.x2().aluOperand() instanceof SdpOperand.PerElement);
            assertEquals(-9, sdp.x2().aluOperand().value(1, 1));
            assertEquals(23456, sdp.cvt().scale());
            assertEquals(15, sdp.cvt().shift());
            assertTrue(sdp.y().bypass());
        }
    }

    @Test
    void registerOperandsAndMissingPerPointOperands() {
        XUnitProgram x1 = new XUnitProgram(XOpType.MUL, OperandSource.REGISTER, new int[0], 0, new int[] {-1234}, 9,
                true);
        LayerProgram emitted = new RegisterEmitter(HardwareConfig.NV_SMALL).emit(RegisterEmitterTest.layer(
                HardwareOp.SDP, new SdpProgram(null, x1, null, CvtProgram.IDENTITY)));
        SdpConfig sdp = new RegisterDecoder(HardwareConfig.NV_SMALL).sdp(emitted, 3, 4, null);
        assertTrue(sdp.x1().aluBypass());
        assertEquals(-1234, sdp.x1().mulOperand().value(2, 3));
        assertTrue(sdp.x1().mulOperand().fromRegister());
        assertTrue(sdp.x2().bypass());

        LayerProgram fused = new RegisterEmitter(HardwareConfig.NV_SMALL).emit(RegisterEmitterTest.layer(
                HardwareOp.CONV_SDP, superOp()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RegisterDecoder(HardwareConfig.NV_SMALL).sdp(fused, 3, 4, null));
        assertEquals("l: NRDMA reads a per-element int8 operand but none was given", e.getMessage());
    }
}
