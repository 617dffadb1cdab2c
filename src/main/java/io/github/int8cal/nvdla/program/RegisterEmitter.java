package io.github.int8cal.nvdla.program;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.RegisterField;
import io.github.int8cal.nvdla.RegisterMap;
import io.github.int8cal.nvdla.RegisterSpec;
import io.github.int8cal.nvdla.Unit;
import io.github.int8cal.plan.ConvCoreProgram;
import io.github.int8cal.plan.CvtProgram;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.HardwareOp;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.OperandSource;
import io.github.int8cal.plan.SdpProgram;
import io.github.int8cal.plan.XUnitProgram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a planned layer's {@link SdpProgram} into register writes for one hardware configuration,
 * following the firmware's descriptor-to-register mapping ({@code kmd/firmware/conv.c},
 * {@code sdp.c}; docs/nvdla-compiler.md#register-programming): CDMA input converter and pad value, CSC pad value and
 * PRA truncate, conv-pipeline precisions, CACC clip truncate, SDP_RDMA operand DMAs and precisions, SDP
 * X1 (BS) / X2 (BN) ALU/MUL/ReLU, EW bypass where the hardware has EW, SDP precisions and output
 * converter. Only quantization-relevant registers are written; sizes, data addresses and op enables
 * belong to the full compiler.
 */
public final class RegisterEmitter {

    /** Default address of the per-channel operand memory (clear of the fixture traces' 0x8..-0xa... buffers). */
    public static final long DEFAULT_OPERAND_BASE = 0xc000_0000L;
    /** Operand blocks of X1 and X2 start on this alignment (nv_full ignores the low 5 address bits). */
    static final int OPERAND_ALIGNMENT = 0x100;

    static final long INT8 = 0;
    static final long SUM = 2;
    static final long DATA_USE_MUL = 0;
    static final long DATA_USE_ALU = 1;
    static final long DATA_USE_BOTH = 2;
    static final long RAM_TYPE_MC = 1;

    private final HardwareConfig hardware;
    private final RegisterMap map;
    private final long operandBase;

    public RegisterEmitter(HardwareConfig hardware, long operandBase) {
        this.hardware = hardware;
        this.map = hardware.registerMap();
        this.operandBase = operandBase;
    }

    public RegisterEmitter(HardwareConfig hardware) {
        this(hardware, DEFAULT_OPERAND_BASE);
    }

    /** Every hardware layer of the plan, in order (layers without SDP programming get no writes). */
    public static List<LayerProgram> emit(NetworkPlan plan) {
        RegisterEmitter e = new RegisterEmitter(plan.options().hardware());
        return plan.layers().stream().map(e::emit).toList();
    }

    public LayerProgram emit(HardwareLayerPlan layer) {
        List<RegisterWrite> writes = new ArrayList<>();
        List<OperandMemory> operands = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        SdpProgram p = layer.program();
        if (p == null) {
            if (layer.op() == HardwareOp.PDP) {
                notes.add("pooling runs on PDP and never rescales: no quantization registers");
            } else if (layer.op() == HardwareOp.CPU) {
                notes.add("runs on the CPU: dequantize with the input scale, requantize with the output scale");
            } else {
                notes.add("not programmed: see diagnostics");
            }
            return new LayerProgram(layer, writes, operands, notes);
        }
        boolean flying = layer.op() == HardwareOp.CONV_SDP;
        if (flying) {
            convCore(p.convCore() == null ? ConvCoreProgram.COMPILER : p.convCore(), writes);
        }
        long x1Address = operandBase;
        OperandMemory x1Memory = operandMemory("X1", "BRDMA", p.x1(), x1Address, 0);
        long x2Offset = x1Memory == null ? 0 : align(x1Memory.bytes().length);
        OperandMemory x2Memory = operandMemory("X2", "NRDMA", p.x2(), operandBase + x2Offset, x2Offset);
        if (x1Memory != null) {
            operands.add(x1Memory);
        }
        if (x2Memory != null) {
            operands.add(x2Memory);
        }
        sdpRdma(flying, p, x1Memory, x2Memory, writes, notes);
        xUnit("BS", p.x1(), writes);
        xUnit("BN", p.x2(), writes);
        if (hardware.sdpEw()) {
            write(writes, Unit.SDP, "D_DP_EW_CFG", Map.of("EW_BYPASS", 1L, "EW_ALU_BYPASS", 1L, "EW_MUL_BYPASS", 1L,
                    "EW_LUT_BYPASS", 1L));
        }
        write(writes, Unit.SDP, "D_FEATURE_MODE_CFG", Map.of("FLYING_MODE", flying ? 1L : 0L));
        write(writes, Unit.SDP, "D_DATA_FORMAT", Map.of("PROC_PRECISION", INT8, "OUT_PRECISION", INT8));
        CvtProgram cvt = p.outCvt();
        write(writes, Unit.SDP, "D_CVT_OFFSET", Map.of("CVT_OFFSET", (long) cvt.offset()));
        write(writes, Unit.SDP, "D_CVT_SCALE", Map.of("CVT_SCALE", (long) cvt.scale()));
        write(writes, Unit.SDP, "D_CVT_SHIFT", Map.of("CVT_SHIFT", (long) cvt.shift()));
        if (!flying) {
            notes.add("stand-alone SDP: the input cube is read by SDP_RDMA.D_SRC_* (addresses from the memory planner)");
        }
        return new LayerProgram(layer, writes, operands, notes);
    }

    /** CDMA/CSC/CMAC/CACC: precisions, the input converter, pad values, PRA and CACC clip truncates. */
    private void convCore(ConvCoreProgram c, List<RegisterWrite> writes) {
        Map<String, Long> precision = Map.of("CONV_MODE", 0L, "IN_PRECISION", INT8, "PROC_PRECISION", INT8);
        write(writes, Unit.CDMA, "D_MISC_CFG", precision);
        write(writes, Unit.CDMA, "D_CVT_CFG", Map.of("CVT_EN", c.cdmaCvtEnabled() ? 1L : 0L,
                "CVT_TRUNCATE", (long) c.cdmaCvtTruncate()));
        write(writes, Unit.CDMA, "D_CVT_OFFSET", Map.of("CVT_OFFSET", (long) c.cdmaCvtOffset()));
        write(writes, Unit.CDMA, "D_CVT_SCALE", Map.of("CVT_SCALE", (long) c.cdmaCvtScale()));
        // symmetric int8 (zero point 0): padding is 0 in the converted domain (conv.c:544-547, 730-733)
        write(writes, Unit.CDMA, "D_ZERO_PADDING_VALUE", Map.of("PAD_VALUE", 0L));
        write(writes, Unit.CSC, "D_MISC_CFG", precision);
        write(writes, Unit.CSC, "D_ZERO_PADDING_VALUE", Map.of("PAD_VALUE", 0L));
        write(writes, Unit.CSC, "D_PRA_CFG", Map.of("PRA_TRUNCATE", (long) c.praTruncate()));
        write(writes, Unit.CMAC_A, "D_MISC_CFG", Map.of("CONV_MODE", 0L, "PROC_PRECISION", INT8));
        write(writes, Unit.CMAC_B, "D_MISC_CFG", Map.of("CONV_MODE", 0L, "PROC_PRECISION", INT8));
        write(writes, Unit.CACC, "D_MISC_CFG", Map.of("CONV_MODE", 0L, "PROC_PRECISION", INT8));
        write(writes, Unit.CACC, "D_CLIP_CFG", Map.of("CLIP_TRUNCATE", (long) c.caccClipTruncate()));
    }

    /** SDP_RDMA: precisions and flying mode, BRDMA (X1) / NRDMA (X2) operand reads (sdp.c:405-466). */
    private void sdpRdma(boolean flying, SdpProgram p, OperandMemory x1Memory, OperandMemory x2Memory,
            List<RegisterWrite> writes, List<String> notes) {
        write(writes, Unit.SDP_RDMA, "D_FEATURE_MODE_CFG", Map.of("FLYING_MODE", flying ? 1L : 0L,
                "IN_PRECISION", INT8, "PROC_PRECISION", INT8, "OUT_PRECISION", INT8));
        operandDma("BRDMA", "BS", p.x1(), x1Memory, writes, notes);
        operandDma("NRDMA", "BN", p.x2(), x2Memory, writes, notes);
        if (hardware.sdpEw()) {
            write(writes, Unit.SDP_RDMA, "D_ERDMA_CFG", Map.of("ERDMA_DISABLE", 1L));
        }
    }

    private void operandDma(String dma, String data, XUnitProgram x, OperandMemory memory, List<RegisterWrite> writes,
            List<String> notes) {
        if (x == null || x.source() == OperandSource.REGISTER) {
            write(writes, Unit.SDP_RDMA, "D_" + dma + "_CFG", Map.of(dma + "_DISABLE", 1L));
            return;
        }
        boolean perPoint = x.source() == OperandSource.MEMORY_PER_POINT_INT8;
        long use = switch (x.type()) {
            case ADD -> DATA_USE_ALU;
            case MUL -> DATA_USE_MUL;
            case BOTH -> DATA_USE_BOTH;
        };
        write(writes, Unit.SDP_RDMA, "D_" + dma + "_CFG", Map.of(dma + "_DISABLE", 0L, dma + "_DATA_USE", use,
                dma + "_DATA_SIZE", perPoint ? 0L : 1L, dma + "_DATA_MODE", perPoint ? 1L : 0L,
                dma + "_RAM_TYPE", RAM_TYPE_MC));
        if (perPoint) {
            notes.add(dma + " reads the other element-wise input as int8 per element: its D_" + data
                    + "_BASE_ADDR/LINE/SURFACE_STRIDE come from the memory planner");
            return;
        }
        RegisterField low = map.register(Unit.SDP_RDMA, "D_" + data + "_BASE_ADDR_LOW_0")
                .requireField(data + "_BASE_ADDR_LOW");
        write(writes, Unit.SDP_RDMA, "D_" + data + "_BASE_ADDR_LOW",
                Map.of(data + "_BASE_ADDR_LOW", (memory.address() & 0xffff_ffffL) >>> low.lsb()));
        write(writes, Unit.SDP_RDMA, "D_" + data + "_BASE_ADDR_HIGH",
                Map.of(data + "_BASE_ADDR_HIGH", memory.address() >>> 32));
    }

    /** X1 (BS) or X2 (BN) as sdp.c:521-573 programs it from {@code dla_sdp_op}. */
    private void xUnit(String x, XUnitProgram p, List<RegisterWrite> writes) {
        if (p == null) {
            write(writes, Unit.SDP, "D_DP_" + x + "_CFG", Map.of(x + "_BYPASS", 1L, x + "_ALU_BYPASS", 1L,
                    x + "_MUL_BYPASS", 1L, x + "_RELU_BYPASS", 1L));
            return;
        }
        write(writes, Unit.SDP, "D_DP_" + x + "_CFG", Map.of(x + "_BYPASS", 0L,
                x + "_ALU_BYPASS", p.usesAlu() ? 0L : 1L, x + "_ALU_ALGO", p.usesAlu() ? SUM : 0L,
                x + "_MUL_BYPASS", p.usesMul() ? 0L : 1L, x + "_MUL_PRELU", 0L, x + "_RELU_BYPASS", p.relu() ? 0L : 1L));
        long src = p.source() == OperandSource.REGISTER ? 0L : 1L;
        write(writes, Unit.SDP, "D_DP_" + x + "_ALU_CFG", Map.of(x + "_ALU_SRC", src,
                x + "_ALU_SHIFT_VALUE", (long) p.aluShift()));
        if (p.source() == OperandSource.REGISTER && p.usesAlu()) {
            write(writes, Unit.SDP, "D_DP_" + x + "_ALU_SRC_VALUE", Map.of(x + "_ALU_OPERAND", (long) p.aluOperands()[0]));
        }
        // the MUL shift ("truncate") applies even when the MUL is bypassed (docs/nvdla-arithmetic.md#sdp-x-units)
        write(writes, Unit.SDP, "D_DP_" + x + "_MUL_CFG", Map.of(x + "_MUL_SRC", src,
                x + "_MUL_SHIFT_VALUE", (long) p.mulShift()));
        if (p.source() == OperandSource.REGISTER && p.usesMul()) {
            write(writes, Unit.SDP, "D_DP_" + x + "_MUL_SRC_VALUE", Map.of(x + "_MUL_OPERAND", (long) p.mulOperands()[0]));
        }
    }

    /** The per-channel operand image for an X unit reading memory per channel, else null. */
    private OperandMemory operandMemory(String xUnit, String dma, XUnitProgram x, long address, long offset) {
        if (x == null || x.source() != OperandSource.MEMORY_PER_CHANNEL) {
            return null;
        }
        int[] alu = x.usesAlu() ? x.aluOperands() : new int[0];
        int[] mul = x.usesMul() ? x.mulOperands() : new int[0];
        int channels = Math.max(alu.length, mul.length);
        int components = (alu.length > 0 ? 1 : 0) + (mul.length > 0 ? 1 : 0);
        int atom = hardware.memoryAtom();
        int paddedChannels = (channels + atom - 1) / atom * atom;
        byte[] bytes = new byte[paddedChannels * components * 2];
        int at = 0;
        for (int k = 0; k < channels; k++) {
            if (alu.length > 0) {
                at = putInt16(bytes, at, alu[k]);
            }
            if (mul.length > 0) {
                at = putInt16(bytes, at, mul[k]);
            }
        }
        return new OperandMemory(xUnit, dma, address, offset, alu.clone(), mul.clone(), bytes);
    }

    private static int putInt16(byte[] bytes, int at, int value) {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException("operand " + value + " does not fit int16");
        }
        bytes[at] = (byte) value;
        bytes[at + 1] = (byte) (value >> 8);
        return at + 2;
    }

    private static long align(long n) {
        return (n + OPERAND_ALIGNMENT - 1) / OPERAND_ALIGNMENT * OPERAND_ALIGNMENT;
    }

    /** Packs the fields with the register map, then records the value and every field decoded from it. */
    private void write(List<RegisterWrite> writes, Unit unit, String name, Map<String, Long> fields) {
        RegisterSpec spec = map.register(unit, name + "_0");
        long value = spec.encode(fields);
        Map<String, Long> decoded = new LinkedHashMap<>();
        for (RegisterField f : spec.fields()) {
            decoded.put(f.name(), f.decodeSigned(value));
        }
        writes.add(new RegisterWrite(unit, name, spec.address(map.addressMap()), value, decoded));
    }
}
