package io.github.int8cal.nvdla;

import java.util.ArrayList;
import java.util.List;

/**
 * The register layout of the units the emulator knows, transcribed from the NVDLA register
 * generator output: nvdla/hw branch {@code nv_small} ({@code 771f20cc9e})
 * {@code vmod/nvdla/<unit>/NV_NVDLA_<UNIT>_REG_dual.v} / {@code _single.v} (the
 * {@code *_out = {...}} packing and the address decode), {@code spec/manual/NVDLA_SDP.rdl} for the
 * SDP LUT registers and {@code vmod/nvdla/glb/NV_NVDLA_GLB_CSB_reg.v} for GLB. Field names are the
 * RDL names (checked against the decoded-field comments of the nv_large trace).
 *
 * <p>Address ({@code *_ADDR_LOW*}, {@code DATAOUT_ADDR}), stride and byte-count fields are declared
 * {@code [31:0]} on nv_small but {@code [31:5]} (byte counts {@code [31:7]}) on nv_full: see
 * docs/nvdla-arithmetic.md#differences-between-configurations; the nv_large trace comments confirm it for every such
 * field it sets.
 */
final class RegisterCatalog {

    private final AddressMap map;
    private final List<RegisterSpec> specs = new ArrayList<>();
    private Unit unit;

    private RegisterCatalog(AddressMap map) {
        this.map = map;
    }

    static List<RegisterSpec> build(AddressMap map) {
        RegisterCatalog c = new RegisterCatalog(map);
        c.glb();
        c.cdma();
        c.csc();
        c.cmac(Unit.CMAC_A);
        c.cmac(Unit.CMAC_B);
        c.cacc();
        c.sdpRdma();
        c.sdp();
        return List.copyOf(c.specs);
    }

    // ---- DSL -----------------------------------------------------------------------------

    private void unit(Unit u) {
        unit = u;
    }

    /** Register {@code name + "_0"} at {@code offset}. */
    private void reg(String name, int offset, RegisterField... fields) {
        specs.add(new RegisterSpec(unit, name + "_0", offset, List.of(fields)));
    }

    private static RegisterField f(String name, int hi, int lo) {
        return new RegisterField(name, lo, hi - lo + 1, false, 0);
    }

    private static RegisterField bit(String name, int bit) {
        return f(name, bit, bit);
    }

    private static RegisterField s(String name, int hi, int lo) {
        return new RegisterField(name, lo, hi - lo + 1, true, 0);
    }

    private static RegisterField word(String name) {
        return f(name, 31, 0);
    }

    /** Address or stride field: {@code [hi:0]} on nv_small, {@code [hi:5]} on nv_full. */
    private RegisterField addr(String name, int hi) {
        return f(name, hi, map == AddressMap.SMALL ? 0 : 5);
    }

    private RegisterField addr(String name) {
        return addr(name, 31);
    }

    /** Weight byte-count field: {@code [hi:0]} on nv_small, {@code [hi:7]} on nv_full. */
    private RegisterField bytes(String name, int hi) {
        return f(name, hi, map == AddressMap.SMALL ? 0 : 7);
    }

    private void statusAndPointer() {
        reg("S_STATUS", 0x000, f("STATUS_0", 1, 0), f("STATUS_1", 17, 16));
        reg("S_POINTER", 0x004, bit("PRODUCER", 0), bit("CONSUMER", 16));
    }

    private static RegisterField[] precisionAndMode() {
        return new RegisterField[] {bit("CONV_MODE", 0), f("IN_PRECISION", 9, 8).withReset(1),
                f("PROC_PRECISION", 13, 12).withReset(1), bit("DATA_REUSE", 16), bit("WEIGHT_REUSE", 20),
                bit("SKIP_DATA_RLS", 24), bit("SKIP_WEIGHT_RLS", 28)};
    }

    // ---- units ---------------------------------------------------------------------------

    private void glb() {
        unit(Unit.GLB);
        reg("S_NVDLA_HW_VERSION", 0x000, f("MAJOR", 7, 0).withReset(0x31), f("MINOR", 23, 8).withReset(0x3030));
        reg("S_INTR_MASK", 0x004, interruptBits("MASK"));
        reg("S_INTR_SET", 0x008, interruptBits("SET"));
        reg("S_INTR_STATUS", 0x00c, interruptBits("STATUS"));
    }

    private static RegisterField[] interruptBits(String kind) {
        String[] low = {"SDP", "CDP", "PDP", "BDMA", "RUBIK"};
        String[] high = {"CDMA_DAT", "CDMA_WT", "CACC"};
        List<RegisterField> fields = new ArrayList<>();
        for (int i = 0; i < low.length; i++) {
            fields.add(bit(low[i] + "_DONE_" + kind + "0", 2 * i));
            fields.add(bit(low[i] + "_DONE_" + kind + "1", 2 * i + 1));
        }
        for (int i = 0; i < high.length; i++) {
            fields.add(bit(high[i] + "_DONE_" + kind + "0", 16 + 2 * i));
            fields.add(bit(high[i] + "_DONE_" + kind + "1", 17 + 2 * i));
        }
        return fields.toArray(RegisterField[]::new);
    }

    private void cdma() {
        unit(Unit.CDMA);
        statusAndPointer();
        reg("S_ARBITER", 0x008, f("ARB_WEIGHT", 3, 0).withReset(0xf), f("ARB_WMB", 19, 16));
        reg("S_CBUF_FLUSH_STATUS", 0x00c, bit("FLUSH_DONE", 0));
        reg("D_OP_ENABLE", 0x010, bit("OP_EN", 0));
        reg("D_MISC_CFG", 0x014, precisionAndMode());
        reg("D_DATAIN_FORMAT", 0x018, bit("DATAIN_FORMAT", 0), f("PIXEL_FORMAT", 13, 8).withReset(0xc),
                bit("PIXEL_MAPPING", 16), bit("PIXEL_SIGN_OVERRIDE", 20));
        reg("D_DATAIN_SIZE_0", 0x01c, f("DATAIN_WIDTH", 12, 0), f("DATAIN_HEIGHT", 28, 16));
        reg("D_DATAIN_SIZE_1", 0x020, f("DATAIN_CHANNEL", 12, 0));
        reg("D_DATAIN_SIZE_EXT_0", 0x024, f("DATAIN_WIDTH_EXT", 12, 0), f("DATAIN_HEIGHT_EXT", 28, 16));
        reg("D_PIXEL_OFFSET", 0x028, f("PIXEL_X_OFFSET", 4, 0), f("PIXEL_Y_OFFSET", 18, 16));
        reg("D_DAIN_RAM_TYPE", 0x02c, bit("DATAIN_RAM_TYPE", 0));
        reg("D_DAIN_ADDR_HIGH_0", 0x030, word("DATAIN_ADDR_HIGH_0"));
        reg("D_DAIN_ADDR_LOW_0", 0x034, addr("DATAIN_ADDR_LOW_0"));
        reg("D_DAIN_ADDR_HIGH_1", 0x038, word("DATAIN_ADDR_HIGH_1"));
        reg("D_DAIN_ADDR_LOW_1", 0x03c, addr("DATAIN_ADDR_LOW_1"));
        reg("D_LINE_STRIDE", 0x040, addr("LINE_STRIDE"));
        reg("D_LINE_UV_STRIDE", 0x044, addr("UV_LINE_STRIDE"));
        reg("D_SURF_STRIDE", 0x048, addr("SURF_STRIDE"));
        reg("D_DAIN_MAP", 0x04c, bit("LINE_PACKED", 0), bit("SURF_PACKED", 16));
        reg("D_RESERVED_X_CFG", 0x050, f("RSV_PER_LINE", 9, 0), f("RSV_PER_UV_LINE", 25, 16));
        reg("D_RESERVED_Y_CFG", 0x054, f("RSV_HEIGHT", 2, 0), f("RSV_Y_INDEX", 20, 16));
        reg("D_BATCH_NUMBER", 0x058, f("BATCHES", 4, 0));
        reg("D_BATCH_STRIDE", 0x05c, addr("BATCH_STRIDE"));
        reg("D_ENTRY_PER_SLICE", 0x060, f("ENTRIES", 13, 0));
        reg("D_FETCH_GRAIN", 0x064, f("GRAINS", 11, 0));
        reg("D_WEIGHT_FORMAT", 0x068, bit("WEIGHT_FORMAT", 0));
        reg("D_WEIGHT_SIZE_0", 0x06c, f("BYTE_PER_KERNEL", 17, 0));
        reg("D_WEIGHT_SIZE_1", 0x070, f("WEIGHT_KERNEL", 12, 0));
        reg("D_WEIGHT_RAM_TYPE", 0x074, bit("WEIGHT_RAM_TYPE", 0));
        reg("D_WEIGHT_ADDR_HIGH", 0x078, word("WEIGHT_ADDR_HIGH"));
        reg("D_WEIGHT_ADDR_LOW", 0x07c, addr("WEIGHT_ADDR_LOW"));
        reg("D_WEIGHT_BYTES", 0x080, bytes("WEIGHT_BYTES", 31));
        reg("D_WGS_ADDR_HIGH", 0x084, word("WGS_ADDR_HIGH"));
        reg("D_WGS_ADDR_LOW", 0x088, addr("WGS_ADDR_LOW"));
        reg("D_WMB_ADDR_HIGH", 0x08c, word("WMB_ADDR_HIGH"));
        reg("D_WMB_ADDR_LOW", 0x090, addr("WMB_ADDR_LOW"));
        reg("D_WMB_BYTES", 0x094, bytes("WMB_BYTES", 27));
        reg("D_MEAN_FORMAT", 0x098, bit("MEAN_FORMAT", 0));
        reg("D_MEAN_GLOBAL_0", 0x09c, f("MEAN_RY", 15, 0), f("MEAN_GU", 31, 16));
        reg("D_MEAN_GLOBAL_1", 0x0a0, f("MEAN_BV", 15, 0), f("MEAN_AX", 31, 16));
        reg("D_CVT_CFG", 0x0a4, bit("CVT_EN", 0), f("CVT_TRUNCATE", 9, 4));
        reg("D_CVT_OFFSET", 0x0a8, s("CVT_OFFSET", 15, 0));
        reg("D_CVT_SCALE", 0x0ac, s("CVT_SCALE", 15, 0));
        reg("D_CONV_STRIDE", 0x0b0, f("CONV_X_STRIDE", 2, 0), f("CONV_Y_STRIDE", 18, 16));
        reg("D_ZERO_PADDING", 0x0b4, f("PAD_LEFT", 4, 0), f("PAD_RIGHT", 13, 8), f("PAD_TOP", 20, 16),
                f("PAD_BOTTOM", 29, 24));
        reg("D_ZERO_PADDING_VALUE", 0x0b8, s("PAD_VALUE", 15, 0));
        reg("D_BANK", 0x0bc, f("DATA_BANK", 4, 0), f("WEIGHT_BANK", 20, 16));
        reg("D_NAN_FLUSH_TO_ZERO", 0x0c0, bit("NAN_TO_ZERO", 0));
        reg("D_NAN_INPUT_DATA_NUM", 0x0c4, word("NAN_DATA_NUM"));
        reg("D_NAN_INPUT_WEIGHT_NUM", 0x0c8, word("NAN_WEIGHT_NUM"));
        reg("D_INF_INPUT_DATA_NUM", 0x0cc, word("INF_DATA_NUM"));
        reg("D_INF_INPUT_WEIGHT_NUM", 0x0d0, word("INF_WEIGHT_NUM"));
        reg("D_PERF_ENABLE", 0x0d4, bit("DMA_EN", 0));
        reg("D_PERF_DAT_READ_STALL", 0x0d8, word("DAT_RD_STALL"));
        reg("D_PERF_WT_READ_STALL", 0x0dc, word("WT_RD_STALL"));
        reg("D_PERF_DAT_READ_LATENCY", 0x0e0, word("DAT_RD_LATENCY"));
        reg("D_PERF_WT_READ_LATENCY", 0x0e4, word("WT_RD_LATENCY"));
        reg("D_CYA", 0x0e8, word("CYA"));
    }

    private void csc() {
        unit(Unit.CSC);
        statusAndPointer();
        reg("D_OP_ENABLE", 0x008, bit("OP_EN", 0));
        reg("D_MISC_CFG", 0x00c, precisionAndMode());
        reg("D_DATAIN_FORMAT", 0x010, bit("DATAIN_FORMAT", 0));
        reg("D_DATAIN_SIZE_EXT_0", 0x014, f("DATAIN_WIDTH_EXT", 12, 0), f("DATAIN_HEIGHT_EXT", 28, 16));
        reg("D_DATAIN_SIZE_EXT_1", 0x018, f("DATAIN_CHANNEL_EXT", 12, 0));
        reg("D_BATCH_NUMBER", 0x01c, f("BATCHES", 4, 0));
        reg("D_POST_Y_EXTENSION", 0x020, f("Y_EXTENSION", 1, 0));
        reg("D_ENTRY_PER_SLICE", 0x024, f("ENTRIES", 13, 0));
        reg("D_WEIGHT_FORMAT", 0x028, bit("WEIGHT_FORMAT", 0));
        reg("D_WEIGHT_SIZE_EXT_0", 0x02c, f("WEIGHT_WIDTH_EXT", 4, 0), f("WEIGHT_HEIGHT_EXT", 20, 16));
        reg("D_WEIGHT_SIZE_EXT_1", 0x030, f("WEIGHT_CHANNEL_EXT", 12, 0), f("WEIGHT_KERNEL", 28, 16));
        reg("D_WEIGHT_BYTES", 0x034, bytes("WEIGHT_BYTES", 31));
        reg("D_WMB_BYTES", 0x038, bytes("WMB_BYTES", 27));
        reg("D_DATAOUT_SIZE_0", 0x03c, f("DATAOUT_WIDTH", 12, 0), f("DATAOUT_HEIGHT", 28, 16));
        reg("D_DATAOUT_SIZE_1", 0x040, f("DATAOUT_CHANNEL", 12, 0));
        reg("D_ATOMICS", 0x044, f("ATOMICS", 20, 0).withReset(1));
        reg("D_RELEASE", 0x048, f("RLS_SLICES", 11, 0).withReset(1));
        reg("D_CONV_STRIDE_EXT", 0x04c, f("CONV_X_STRIDE_EXT", 2, 0), f("CONV_Y_STRIDE_EXT", 18, 16));
        reg("D_DILATION_EXT", 0x050, f("X_DILATION_EXT", 4, 0), f("Y_DILATION_EXT", 20, 16));
        reg("D_ZERO_PADDING", 0x054, f("PAD_LEFT", 4, 0), f("PAD_TOP", 20, 16));
        reg("D_ZERO_PADDING_VALUE", 0x058, s("PAD_VALUE", 15, 0));
        reg("D_BANK", 0x05c, f("DATA_BANK", 4, 0), f("WEIGHT_BANK", 20, 16));
        reg("D_PRA_CFG", 0x060, f("PRA_TRUNCATE", 1, 0));
        reg("D_CYA", 0x064, word("CYA"));
    }

    private void cmac(Unit cmac) {
        unit(cmac);
        statusAndPointer();
        reg("D_OP_ENABLE", 0x008, bit("OP_EN", 0));
        reg("D_MISC_CFG", 0x00c, bit("CONV_MODE", 0), f("PROC_PRECISION", 13, 12).withReset(1));
    }

    private void cacc() {
        unit(Unit.CACC);
        statusAndPointer();
        reg("D_OP_ENABLE", 0x008, bit("OP_EN", 0));
        reg("D_MISC_CFG", 0x00c, bit("CONV_MODE", 0), f("PROC_PRECISION", 13, 12).withReset(1));
        reg("D_DATAOUT_SIZE_0", 0x010, f("DATAOUT_WIDTH", 12, 0), f("DATAOUT_HEIGHT", 28, 16));
        reg("D_DATAOUT_SIZE_1", 0x014, f("DATAOUT_CHANNEL", 12, 0));
        reg("D_DATAOUT_ADDR", 0x018, addr("DATAOUT_ADDR"));
        reg("D_BATCH_NUMBER", 0x01c, f("BATCHES", 4, 0));
        reg("D_LINE_STRIDE", 0x020, addr("LINE_STRIDE", 23));
        reg("D_SURF_STRIDE", 0x024, addr("SURF_STRIDE", 23));
        reg("D_DATAOUT_MAP", 0x028, bit("LINE_PACKED", 0), bit("SURF_PACKED", 16));
        reg("D_CLIP_CFG", 0x02c, f("CLIP_TRUNCATE", 4, 0));
        reg("D_OUT_SATURATION", 0x030, word("SAT_COUNT"));
        reg("D_CYA", 0x034, word("CYA"));
    }

    private void sdpRdma() {
        unit(Unit.SDP_RDMA);
        statusAndPointer();
        reg("D_OP_ENABLE", 0x008, bit("OP_EN", 0));
        reg("D_DATA_CUBE_WIDTH", 0x00c, f("WIDTH", 12, 0));
        reg("D_DATA_CUBE_HEIGHT", 0x010, f("HEIGHT", 12, 0));
        reg("D_DATA_CUBE_CHANNEL", 0x014, f("CHANNEL", 12, 0));
        reg("D_SRC_BASE_ADDR_LOW", 0x018, addr("SRC_BASE_ADDR_LOW"));
        reg("D_SRC_BASE_ADDR_HIGH", 0x01c, word("SRC_BASE_ADDR_HIGH"));
        reg("D_SRC_LINE_STRIDE", 0x020, addr("SRC_LINE_STRIDE"));
        reg("D_SRC_SURFACE_STRIDE", 0x024, addr("SRC_SURFACE_STRIDE"));
        operandDma("BRDMA", "BS", 0x028);
        operandDma("NRDMA", "BN", 0x040);
        operandDma("ERDMA", "EW", 0x058);
        reg("D_FEATURE_MODE_CFG", 0x070, bit("FLYING_MODE", 0), bit("WINOGRAD", 1),
                f("IN_PRECISION", 3, 2).withReset(1), f("PROC_PRECISION", 5, 4).withReset(1), f("OUT_PRECISION", 7, 6), f("BATCH_NUMBER", 12, 8));
        reg("D_SRC_DMA_CFG", 0x074, bit("SRC_RAM_TYPE", 0));
        reg("D_STATUS_NAN_INPUT_NUM", 0x078, word("STATUS_NAN_INPUT_NUM"));
        reg("D_STATUS_INF_INPUT_NUM", 0x07c, word("STATUS_INF_INPUT_NUM"));
        reg("D_PERF_ENABLE", 0x080, bit("PERF_DMA_EN", 0), bit("PERF_NAN_INF_COUNT_EN", 1));
        reg("D_PERF_MRDMA_READ_STALL", 0x084, word("MRDMA_STALL"));
        reg("D_PERF_BRDMA_READ_STALL", 0x088, word("BRDMA_STALL"));
        reg("D_PERF_NRDMA_READ_STALL", 0x08c, word("NRDMA_STALL"));
        reg("D_PERF_ERDMA_READ_STALL", 0x090, word("ERDMA_STALL"));
    }

    /** BRDMA/NRDMA/ERDMA: the config register then base, line, surface and batch stride. */
    private void operandDma(String dma, String data, int offset) {
        reg("D_" + dma + "_CFG", offset, bit(dma + "_DISABLE", 0).withReset(1), f(dma + "_DATA_USE", 2, 1),
                bit(dma + "_DATA_SIZE", 3), bit(dma + "_DATA_MODE", 4), bit(dma + "_RAM_TYPE", 5));
        reg("D_" + data + "_BASE_ADDR_LOW", offset + 0x4, addr(data + "_BASE_ADDR_LOW"));
        reg("D_" + data + "_BASE_ADDR_HIGH", offset + 0x8, word(data + "_BASE_ADDR_HIGH"));
        reg("D_" + data + "_LINE_STRIDE", offset + 0xc, addr(data + "_LINE_STRIDE"));
        reg("D_" + data + "_SURFACE_STRIDE", offset + 0x10, addr(data + "_SURFACE_STRIDE"));
        reg("D_" + data + "_BATCH_STRIDE", offset + 0x14, addr(data + "_BATCH_STRIDE"));
    }

    private void sdp() {
        unit(Unit.SDP);
        statusAndPointer();
        reg("S_LUT_ACCESS_CFG", 0x008, f("LUT_ADDR", 9, 0), bit("LUT_TABLE_ID", 16), bit("LUT_ACCESS_TYPE", 17));
        reg("S_LUT_ACCESS_DATA", 0x00c, f("LUT_DATA", 15, 0));
        reg("S_LUT_CFG", 0x010, bit("LUT_LE_FUNCTION", 0), bit("LUT_UFLOW_PRIORITY", 4),
                bit("LUT_OFLOW_PRIORITY", 5), bit("LUT_HYBRID_PRIORITY", 6));
        reg("S_LUT_INFO", 0x014, f("LUT_LE_INDEX_OFFSET", 7, 0), f("LUT_LE_INDEX_SELECT", 15, 8),
                f("LUT_LO_INDEX_SELECT", 23, 16));
        reg("S_LUT_LE_START", 0x018, word("LUT_LE_START"));
        reg("S_LUT_LE_END", 0x01c, word("LUT_LE_END"));
        reg("S_LUT_LO_START", 0x020, word("LUT_LO_START"));
        reg("S_LUT_LO_END", 0x024, word("LUT_LO_END"));
        reg("S_LUT_LE_SLOPE_SCALE", 0x028, s("LUT_LE_SLOPE_UFLOW_SCALE", 15, 0), s("LUT_LE_SLOPE_OFLOW_SCALE", 31, 16));
        reg("S_LUT_LE_SLOPE_SHIFT", 0x02c, f("LUT_LE_SLOPE_UFLOW_SHIFT", 4, 0), f("LUT_LE_SLOPE_OFLOW_SHIFT", 9, 5));
        reg("S_LUT_LO_SLOPE_SCALE", 0x030, s("LUT_LO_SLOPE_UFLOW_SCALE", 15, 0), s("LUT_LO_SLOPE_OFLOW_SCALE", 31, 16));
        reg("S_LUT_LO_SLOPE_SHIFT", 0x034, f("LUT_LO_SLOPE_UFLOW_SHIFT", 4, 0), f("LUT_LO_SLOPE_OFLOW_SHIFT", 9, 5));
        reg("D_OP_ENABLE", 0x038, bit("OP_EN", 0));
        reg("D_DATA_CUBE_WIDTH", 0x03c, f("WIDTH", 12, 0));
        reg("D_DATA_CUBE_HEIGHT", 0x040, f("HEIGHT", 12, 0));
        reg("D_DATA_CUBE_CHANNEL", 0x044, f("CHANNEL", 12, 0));
        reg("D_DST_BASE_ADDR_LOW", 0x048, addr("DST_BASE_ADDR_LOW"));
        reg("D_DST_BASE_ADDR_HIGH", 0x04c, word("DST_BASE_ADDR_HIGH"));
        reg("D_DST_LINE_STRIDE", 0x050, addr("DST_LINE_STRIDE"));
        reg("D_DST_SURFACE_STRIDE", 0x054, addr("DST_SURFACE_STRIDE"));
        xUnit("BS", 0x058, 1);
        xUnit("BN", 0x06c, 0);
        reg("D_DP_EW_CFG", 0x080, bit("EW_BYPASS", 0).withReset(1), bit("EW_ALU_BYPASS", 1).withReset(1),
                f("EW_ALU_ALGO", 3, 2), bit("EW_MUL_BYPASS", 4).withReset(1), bit("EW_MUL_PRELU", 5),
                bit("EW_LUT_BYPASS", 6).withReset(1));
        reg("D_DP_EW_ALU_CFG", 0x084, bit("EW_ALU_SRC", 0), bit("EW_ALU_CVT_BYPASS", 1).withReset(1));
        reg("D_DP_EW_ALU_SRC_VALUE", 0x088, s("EW_ALU_OPERAND", 31, 0));
        reg("D_DP_EW_ALU_CVT_OFFSET_VALUE", 0x08c, s("EW_ALU_CVT_OFFSET", 31, 0));
        reg("D_DP_EW_ALU_CVT_SCALE_VALUE", 0x090, s("EW_ALU_CVT_SCALE", 15, 0));
        reg("D_DP_EW_ALU_CVT_TRUNCATE_VALUE", 0x094, f("EW_ALU_CVT_TRUNCATE", 5, 0));
        reg("D_DP_EW_MUL_CFG", 0x098, bit("EW_MUL_SRC", 0), bit("EW_MUL_CVT_BYPASS", 1).withReset(1));
        reg("D_DP_EW_MUL_SRC_VALUE", 0x09c, s("EW_MUL_OPERAND", 31, 0));
        reg("D_DP_EW_MUL_CVT_OFFSET_VALUE", 0x0a0, s("EW_MUL_CVT_OFFSET", 31, 0));
        reg("D_DP_EW_MUL_CVT_SCALE_VALUE", 0x0a4, s("EW_MUL_CVT_SCALE", 15, 0));
        reg("D_DP_EW_MUL_CVT_TRUNCATE_VALUE", 0x0a8, f("EW_MUL_CVT_TRUNCATE", 5, 0));
        reg("D_DP_EW_TRUNCATE_VALUE", 0x0ac, f("EW_TRUNCATE", 9, 0));
        reg("D_FEATURE_MODE_CFG", 0x0b0, bit("FLYING_MODE", 0), bit("OUTPUT_DST", 1), bit("WINOGRAD", 2),
                bit("NAN_TO_ZERO", 3), f("BATCH_NUMBER", 12, 8));
        reg("D_DST_DMA_CFG", 0x0b4, bit("DST_RAM_TYPE", 0));
        reg("D_DST_BATCH_STRIDE", 0x0b8, addr("DST_BATCH_STRIDE"));
        reg("D_DATA_FORMAT", 0x0bc, f("PROC_PRECISION", 1, 0), f("OUT_PRECISION", 3, 2));
        reg("D_CVT_OFFSET", 0x0c0, s("CVT_OFFSET", 31, 0));
        reg("D_CVT_SCALE", 0x0c4, s("CVT_SCALE", 15, 0));
        reg("D_CVT_SHIFT", 0x0c8, f("CVT_SHIFT", 5, 0));
        reg("D_STATUS", 0x0cc, bit("STATUS_UNEQUAL", 0));
        reg("D_STATUS_NAN_INPUT_NUM", 0x0d0, word("STATUS_NAN_INPUT_NUM"));
        reg("D_STATUS_INF_INPUT_NUM", 0x0d4, word("STATUS_INF_INPUT_NUM"));
        reg("D_STATUS_NAN_OUTPUT_NUM", 0x0d8, word("STATUS_NAN_OUTPUT_NUM"));
        reg("D_PERF_ENABLE", 0x0dc, bit("PERF_DMA_EN", 0), bit("PERF_LUT_EN", 1), bit("PERF_SAT_EN", 2),
                bit("PERF_NAN_INF_COUNT_EN", 3));
        reg("D_PERF_WDMA_WRITE_STALL", 0x0e0, word("WDMA_STALL"));
        reg("D_PERF_LUT_UFLOW", 0x0e4, word("LUT_UFLOW"));
        reg("D_PERF_LUT_OFLOW", 0x0e8, word("LUT_OFLOW"));
        reg("D_PERF_OUT_SATURATION", 0x0ec, word("OUT_SATURATION"));
        reg("D_PERF_LUT_HYBRID", 0x0f0, word("LUT_HYBRID"));
        reg("D_PERF_LUT_LE_HIT", 0x0f4, word("LUT_LE_HIT"));
        reg("D_PERF_LUT_LO_HIT", 0x0f8, word("LUT_LO_HIT"));
    }

    /** SDP X1 (BS) / X2 (BN): five registers from {@code offset}; the RDL resets PReLU differently. */
    private void xUnit(String x, int offset, int preluReset) {
        reg("D_DP_" + x + "_CFG", offset, bit(x + "_BYPASS", 0).withReset(1), bit(x + "_ALU_BYPASS", 1).withReset(1),
                f(x + "_ALU_ALGO", 3, 2), bit(x + "_MUL_BYPASS", 4).withReset(1),
                bit(x + "_MUL_PRELU", 5).withReset(preluReset), bit(x + "_RELU_BYPASS", 6).withReset(1));
        reg("D_DP_" + x + "_ALU_CFG", offset + 0x4, bit(x + "_ALU_SRC", 0), f(x + "_ALU_SHIFT_VALUE", 13, 8));
        reg("D_DP_" + x + "_ALU_SRC_VALUE", offset + 0x8, s(x + "_ALU_OPERAND", 15, 0));
        reg("D_DP_" + x + "_MUL_CFG", offset + 0xc, bit(x + "_MUL_SRC", 0), f(x + "_MUL_SHIFT_VALUE", 15, 8));
        reg("D_DP_" + x + "_MUL_SRC_VALUE", offset + 0x10, s(x + "_MUL_OPERAND", 15, 0));
    }
}
