package io.github.int8cal.nvdla.program;

import io.github.int8cal.emit.RegisterTraceWriter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.Unit;
import io.github.int8cal.plan.ConvCoreProgram;
import io.github.int8cal.plan.CvtProgram;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.HardwareOp;
import io.github.int8cal.plan.OperandSource;
import io.github.int8cal.plan.SdpProgram;
import io.github.int8cal.plan.XOpType;
import io.github.int8cal.plan.XUnitProgram;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw register values for hand-built programs; every expected value is worked out bit by bit in the comments. */
class RegisterEmitterTest {

    static HardwareLayerPlan layer(HardwareOp op, SdpProgram p) {
        return new HardwareLayerPlan("l", op, List.of("l"), List.of("in"), "out", List.of(1f), 1f, 3, null, null, p,
                List.of());
    }

    static long value(LayerProgram r, Unit unit, String name) {
        return r.write(unit, name).orElseThrow(() -> new AssertionError(unit + "." + name + " not written")).value();
    }

    @Test
    void registerOperandsGoToSrcValueRegisters() {
        XUnitProgram x1 = new XUnitProgram(XOpType.MUL, OperandSource.REGISTER, new int[0], 0, new int[] {12345}, 20,
                true);
        SdpProgram p = new SdpProgram(new ConvCoreProgram(true, 3, -2, 4, 2, 0), x1, null, new CvtProgram(-300, 7, -5));
        LayerProgram r = new RegisterEmitter(HardwareConfig.NV_SMALL).emit(layer(HardwareOp.CONV_SDP, p));
        assertEquals(0x2, value(r, Unit.SDP, "D_DP_BS_CFG"), "ALU bypass (bit 1) only; ReLU on, MUL on");
        assertEquals(0x0, value(r, Unit.SDP, "D_DP_BS_ALU_CFG"));
        assertEquals(0x1400, value(r, Unit.SDP, "D_DP_BS_MUL_CFG"), "SRC REG, shift 20 in [15:8]");
        assertEquals(0x3039, value(r, Unit.SDP, "D_DP_BS_MUL_SRC_VALUE"), "12345");
        assertTrue(r.write(Unit.SDP, "D_DP_BS_ALU_SRC_VALUE").isEmpty(), "ALU unused: no operand register");
        assertEquals(0x53, value(r, Unit.SDP, "D_DP_BN_CFG"), "bits 0, 1, 4, 6: everything bypassed");
        assertEquals(0x1, value(r, Unit.SDP_RDMA, "D_BRDMA_CFG"), "register operand: RDMA disabled");
        assertEquals(0x1, value(r, Unit.SDP_RDMA, "D_NRDMA_CFG"));
        assertEquals(0xfed4, value(r, Unit.SDP, "D_CVT_SCALE"), "-300 as 16-bit two's complement");
        assertEquals(0xfffffffbL, value(r, Unit.SDP, "D_CVT_OFFSET"), "-5 as 32 bits");
        assertEquals(7, value(r, Unit.SDP, "D_CVT_SHIFT"));
        assertEquals(0x41, value(r, Unit.CDMA, "D_CVT_CFG"), "EN | truncate 4 << 4");
        assertEquals(0xfffe, value(r, Unit.CDMA, "D_CVT_OFFSET"));
        assertEquals(3, value(r, Unit.CDMA, "D_CVT_SCALE"));
        assertEquals(2, value(r, Unit.CACC, "D_CLIP_CFG"));
        assertEquals(0x1, value(r, Unit.SDP, "D_FEATURE_MODE_CFG"), "flying");
        assertEquals(-300L, r.write(Unit.SDP, "D_CVT_SCALE").orElseThrow().fields().get("CVT_SCALE"));
        assertEquals(0x90c4, r.write(Unit.SDP, "D_CVT_SCALE").orElseThrow().address());
        assertTrue(r.operands().isEmpty());
    }

    @Test
    void perChannelBothOperandsAreInterleavedLittleEndianAndPaddedToAtoms() {
        XUnitProgram x1 = new XUnitProgram(XOpType.BOTH, OperandSource.MEMORY_PER_CHANNEL, new int[] {1, -2, 300}, 3,
                new int[] {16384, 2, -1}, 17, false);
        SdpProgram p = new SdpProgram(ConvCoreProgram.COMPILER, x1, null, CvtProgram.IDENTITY);
        LayerProgram small = new RegisterEmitter(HardwareConfig.NV_SMALL).emit(layer(HardwareOp.CONV_SDP, p));
        byte[] expected = new byte[32]; // 3 channels padded to one 8-channel atom, 4 bytes each
        byte[] head = {0x01, 0x00, 0x00, 0x40, (byte) 0xfe, (byte) 0xff, 0x02, 0x00, 0x2c, 0x01, (byte) 0xff,
                (byte) 0xff};
        System.arraycopy(head, 0, expected, 0, head.length);
        assertArrayEquals(expected, small.operands().get(0).bytes());
        // DISABLE 0 | BOTH (2 << 1) | TWO_BYTE (1 << 3) | PER_KERNEL 0 | MC (1 << 5) = 0x2c
        assertEquals(0x2c, value(small, Unit.SDP_RDMA, "D_BRDMA_CFG"));
        // not bypassed, ALU SUM (2 << 2), MUL on, ReLU bypassed (1 << 6) = 0x48
        assertEquals(0x48, value(small, Unit.SDP, "D_DP_BS_CFG"));
        assertEquals(0x301, value(small, Unit.SDP, "D_DP_BS_ALU_CFG"), "MEM | shift 3 << 8");
        assertEquals(0x1101, value(small, Unit.SDP, "D_DP_BS_MUL_CFG"), "MEM | truncate 17 << 8");
        assertEquals(0xc0000000L, value(small, Unit.SDP_RDMA, "D_BS_BASE_ADDR_LOW"));
        assertEquals(0, value(small, Unit.SDP_RDMA, "D_BS_BASE_ADDR_HIGH"));
        LayerProgram full = new RegisterEmitter(HardwareConfig.NV_FULL).emit(layer(HardwareOp.CONV_SDP, p));
        assertEquals(128, full.operands().get(0).bytes().length, "nv_full atom is 32 channels");
        // nv_full declares the address field [31:5]; the register still holds the byte address
        assertEquals(0xc0000000L, value(full, Unit.SDP_RDMA, "D_BS_BASE_ADDR_LOW"));
        assertEquals(0xa02c, full.write(Unit.SDP_RDMA, "D_BS_BASE_ADDR_LOW").orElseThrow().address());
        assertEquals(0x50a4, full.write(Unit.CDMA, "D_CVT_CFG").orElseThrow().address());
    }

    @Test
    void x2MemoryOperandsFollowX1InTheSameImage() {
        XUnitProgram x1 = new XUnitProgram(XOpType.ADD, OperandSource.MEMORY_PER_CHANNEL, new int[] {5, 6, 7}, 0,
                new int[0], 0, false);
        XUnitProgram x2 = new XUnitProgram(XOpType.MUL, OperandSource.MEMORY_PER_CHANNEL, new int[0], 0,
                new int[] {8, 9, 10}, 4, true);
        SdpProgram p = new SdpProgram(ConvCoreProgram.COMPILER, x1, x2, CvtProgram.IDENTITY);
        LayerProgram r = new RegisterEmitter(HardwareConfig.NV_SMALL, 0x8000_0000L).emit(layer(HardwareOp.CONV_SDP, p));
        assertEquals(2, r.operands().size());
        assertEquals(16, r.operands().get(0).bytes().length, "8 channels x int16");
        assertEquals(0x100, r.operands().get(1).offset(), "X2 block aligned to 0x100 after X1's 16 bytes");
        assertEquals(0x80000100L, value(r, Unit.SDP_RDMA, "D_BN_BASE_ADDR_LOW"));
        // NRDMA: MUL (0 << 1) | TWO_BYTE (8) | MC (0x20) = 0x28; BRDMA: ALU (1 << 1) | 8 | 0x20 = 0x2a
        assertEquals(0x28, value(r, Unit.SDP_RDMA, "D_NRDMA_CFG"));
        assertEquals(0x2a, value(r, Unit.SDP_RDMA, "D_BRDMA_CFG"));
        String dat = RegisterTraceWriter.dat(r);
        assertTrue(dat.startsWith("{\n{offset:0x0, size:16, payload:0x05 0x00 0x06 0x00 0x07 0x00 0x00"), dat);
        assertTrue(dat.contains("{offset:0x100, size:16, payload:0x08 0x00 0x09 0x00 0x0a 0x00 0x00"), dat);
    }

    @Test
    void layersWithoutSdpProgrammingGetNoWrites() {
        LayerProgram pool = new RegisterEmitter(HardwareConfig.NV_SMALL).emit(layer(HardwareOp.PDP, null));
        assertTrue(pool.writes().isEmpty());
        assertTrue(pool.notes().get(0).contains("never rescales"));
    }
}
