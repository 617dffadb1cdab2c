package io.github.int8cal.nvdla.program;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.RegisterField;
import io.github.int8cal.nvdla.RegisterMap;
import io.github.int8cal.nvdla.Unit;
import io.github.int8cal.nvdla.datapath.AluAlgo;
import io.github.int8cal.nvdla.datapath.CdmaInputConverter;
import io.github.int8cal.nvdla.datapath.ConvParams;
import io.github.int8cal.nvdla.datapath.OutputConverter;
import io.github.int8cal.nvdla.datapath.SdpConfig;
import io.github.int8cal.nvdla.datapath.SdpOperand;
import io.github.int8cal.nvdla.datapath.XUnit;
import io.github.int8cal.nvdla.datapath.YUnit;
import java.util.Optional;

/**
 * Reads the register writes {@link RegisterEmitter} produced for a layer back into the datapath's
 * plain inputs ({@link io.github.int8cal.nvdla.datapath.ConvLayerConfig}, {@link SdpConfig}), so
 * that the verification pass runs exactly the registers the user gets: field values come from the
 * emitted writes (registers not written keep their reset value), per-channel operands from the
 * emitted operand memory image, and the per-element operand (the other input of an element-wise
 * sum, read by the RDMA from an address only the memory planner knows) from the caller.
 *
 * <p>The decoding follows the hardware as the trace emulator does: an X unit reads a memory operand
 * only when its {@code *_SRC} says MEM and its RDMA delivers that component; the MUL shift uses the
 * low 6 bits of its field; on hardware without the EW unit Y is bypassed whatever its registers say.
 */
public final class RegisterDecoder {

    private final HardwareConfig hardware;
    private final RegisterMap map;

    public RegisterDecoder(HardwareConfig hardware) {
        this.hardware = hardware;
        this.map = hardware.registerMap();
    }

    /**
     * The conv pipeline of a CONV_SDP layer: CDMA input converter, CACC clip truncate and the SDP.
     *
     * @param geometry CSC geometry of the layer (sizes and addresses belong to the full compiler, so
     *                 the caller provides them); its pad value must agree with the emitted one
     * @param perPoint the element-wise operand, planar {@code [channel][pixel]} sign-extended int8,
     *                 or null when the program reads none
     */
    public io.github.int8cal.nvdla.datapath.ConvLayerConfig convLayer(LayerProgram emitted, ConvParams geometry,
            int[] perPoint) {
        CdmaInputConverter cdma = new CdmaInputConverter(field(emitted, Unit.CDMA, "D_CVT_CFG", "CVT_EN") != 0,
                (int) field(emitted, Unit.CDMA, "D_CVT_OFFSET", "CVT_OFFSET"),
                (int) field(emitted, Unit.CDMA, "D_CVT_SCALE", "CVT_SCALE"),
                (int) field(emitted, Unit.CDMA, "D_CVT_CFG", "CVT_TRUNCATE"));
        int pad = (byte) field(emitted, Unit.CSC, "D_ZERO_PADDING_VALUE", "PAD_VALUE");
        if (pad != geometry.padValue()) {
            throw new IllegalArgumentException(emitted.name() + ": emitted CSC pad value " + pad
                    + " differs from the geometry's " + geometry.padValue());
        }
        int clip = (int) field(emitted, Unit.CACC, "D_CLIP_CFG", "CLIP_TRUNCATE");
        SdpConfig sdp = sdp(emitted, geometry.kernels(), geometry.outPixels(), perPoint);
        return new io.github.int8cal.nvdla.datapath.ConvLayerConfig(geometry, cdma, clip, sdp);
    }

    /**
     * The SDP of any programmed layer (flying or stand-alone) for {@code lanes} channel lanes of
     * {@code pixels} elements each.
     */
    public SdpConfig sdp(LayerProgram emitted, int lanes, int pixels, int[] perPoint) {
        XUnit x1 = xUnit(emitted, "BS", "BRDMA", "X1", lanes, pixels, perPoint);
        XUnit x2 = xUnit(emitted, "BN", "NRDMA", "X2", lanes, pixels, perPoint);
        YUnit y = YUnit.BYPASSED;
        if (hardware.sdpEw() && field(emitted, Unit.SDP, "D_DP_EW_CFG", "EW_BYPASS") == 0) {
            throw new IllegalArgumentException(emitted.name() + ": the emitted program uses the EW unit, which"
                    + " the verification pass does not model");
        }
        OutputConverter cvt = new OutputConverter(field(emitted, Unit.SDP, "D_CVT_OFFSET", "CVT_OFFSET"),
                (int) field(emitted, Unit.SDP, "D_CVT_SCALE", "CVT_SCALE"),
                (int) field(emitted, Unit.SDP, "D_CVT_SHIFT", "CVT_SHIFT"));
        // the verification pass always counts 17-bit saturations, whatever PERF_SAT_EN will be
        return new SdpConfig(x1, x2, y, cvt, true);
    }

    private XUnit xUnit(LayerProgram emitted, String x, String dma, String unitName, int lanes, int pixels,
            int[] perPoint) {
        String cfg = "D_DP_" + x + "_CFG";
        if (field(emitted, Unit.SDP, cfg, x + "_BYPASS") != 0) {
            return XUnit.BYPASSED;
        }
        SdpOperand aluReg = SdpOperand.register(field(emitted, Unit.SDP, "D_DP_" + x + "_ALU_SRC_VALUE",
                x + "_ALU_OPERAND"));
        SdpOperand mulReg = SdpOperand.register(field(emitted, Unit.SDP, "D_DP_" + x + "_MUL_SRC_VALUE",
                x + "_MUL_OPERAND"));
        SdpOperand aluMem = null;
        SdpOperand mulMem = null;
        if (field(emitted, Unit.SDP_RDMA, "D_" + dma + "_CFG", dma + "_DISABLE") == 0) {
            long use = field(emitted, Unit.SDP_RDMA, "D_" + dma + "_CFG", dma + "_DATA_USE");
            boolean perElement = field(emitted, Unit.SDP_RDMA, "D_" + dma + "_CFG", dma + "_DATA_MODE") != 0;
            boolean twoByte = field(emitted, Unit.SDP_RDMA, "D_" + dma + "_CFG", dma + "_DATA_SIZE") != 0;
            SdpOperand[] components;
            if (perElement) {
                if (perPoint == null || twoByte || use == RegisterEmitter.DATA_USE_BOTH) {
                    throw new IllegalArgumentException(emitted.name() + ": " + dma + " reads a per-element"
                            + (twoByte ? " int16" : " int8") + " operand" + (perPoint == null
                                    ? " but none was given" : " in a layout the verification pass does not model"));
                }
                if (perPoint.length != lanes * pixels) {
                    throw new IllegalArgumentException(emitted.name() + ": per-element operand has "
                            + perPoint.length + " values, expected " + (long) lanes * pixels);
                }
                components = new SdpOperand[] {new SdpOperand.PerElement(perPoint, pixels)};
            } else {
                components = perKernel(emitted, unitName, use, twoByte, lanes);
            }
            if (use == RegisterEmitter.DATA_USE_BOTH) {
                aluMem = components[0];
                mulMem = components[1];
            } else if (use == RegisterEmitter.DATA_USE_ALU) {
                aluMem = components[0];
            } else {
                mulMem = components[0];
            }
        }
        SdpOperand alu = field(emitted, Unit.SDP, "D_DP_" + x + "_ALU_CFG", x + "_ALU_SRC") != 0 && aluMem != null
                ? aluMem : aluReg;
        SdpOperand mul = field(emitted, Unit.SDP, "D_DP_" + x + "_MUL_CFG", x + "_MUL_SRC") != 0 && mulMem != null
                ? mulMem : mulReg;
        return new XUnit(false, field(emitted, Unit.SDP, cfg, x + "_ALU_BYPASS") != 0,
                AluAlgo.ofField(field(emitted, Unit.SDP, cfg, x + "_ALU_ALGO")),
                field(emitted, Unit.SDP, cfg, x + "_MUL_BYPASS") != 0,
                field(emitted, Unit.SDP, cfg, x + "_MUL_PRELU") != 0,
                field(emitted, Unit.SDP, cfg, x + "_RELU_BYPASS") != 0,
                (int) field(emitted, Unit.SDP, "D_DP_" + x + "_ALU_CFG", x + "_ALU_SHIFT_VALUE"),
                // 8-bit field, the datapath uses [13:8] (docs/nvdla-arithmetic.md#sdp-x-units)
                (int) field(emitted, Unit.SDP, "D_DP_" + x + "_MUL_CFG", x + "_MUL_SHIFT_VALUE") & 0x3f, alu, mul);
    }

    /** Per-channel operands decoded from the emitted memory image (little-endian, ALU then MUL for BOTH). */
    private static SdpOperand[] perKernel(LayerProgram emitted, String unitName, long use, boolean twoByte,
            int lanes) {
        OperandMemory memory = emitted.operands().stream().filter(o -> o.xUnit().equals(unitName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(emitted.name() + ": " + unitName
                        + " reads per-channel operands but no operand memory was emitted"));
        int components = use == RegisterEmitter.DATA_USE_BOTH ? 2 : 1;
        int size = twoByte ? 2 : 1;
        byte[] bytes = memory.bytes();
        if ((long) lanes * components * size > bytes.length) {
            throw new IllegalArgumentException(emitted.name() + ": " + unitName + " operand memory holds "
                    + bytes.length + " bytes, " + (long) lanes * components * size + " needed for " + lanes + " lanes");
        }
        int[][] values = new int[components][lanes];
        for (int k = 0; k < lanes; k++) {
            for (int c = 0; c < components; c++) {
                int at = (k * components + c) * size;
                values[c][k] = twoByte ? (short) ((bytes[at] & 0xff) | (bytes[at + 1] << 8)) : bytes[at];
            }
        }
        SdpOperand[] out = new SdpOperand[components];
        for (int c = 0; c < components; c++) {
            out[c] = new SdpOperand.PerKernel(values[c]);
        }
        return out;
    }

    /** A field as emitted (sign-extended when two's complement), else the register's reset value. */
    private long field(LayerProgram emitted, Unit unit, String register, String field) {
        Optional<RegisterWrite> w = emitted.write(unit, register);
        if (w.isPresent()) {
            Long v = w.get().fields().get(field);
            if (v == null) {
                throw new IllegalArgumentException(unit + "." + register + " has no field " + field);
            }
            return v;
        }
        RegisterField f = map.register(unit, register + "_0").requireField(field);
        return f.decodeSigned(f.reset() << f.lsb());
    }
}
