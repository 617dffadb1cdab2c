package io.github.int8cal.nvdla.trace;

import static io.github.int8cal.nvdla.Unit.CACC;
import static io.github.int8cal.nvdla.Unit.CDMA;
import static io.github.int8cal.nvdla.Unit.CSC;
import static io.github.int8cal.nvdla.Unit.SDP;
import static io.github.int8cal.nvdla.Unit.SDP_RDMA;

import io.github.int8cal.nvdla.FeatureLayout;
import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.WeightLayout;
import io.github.int8cal.nvdla.datapath.AluAlgo;
import io.github.int8cal.nvdla.datapath.CdmaInputConverter;
import io.github.int8cal.nvdla.datapath.ConvParams;
import io.github.int8cal.nvdla.datapath.ConvSdpLayer;
import io.github.int8cal.nvdla.datapath.ConvolutionEngine;
import io.github.int8cal.nvdla.datapath.ConvLayerConfig;
import io.github.int8cal.nvdla.datapath.OperandConverter;
import io.github.int8cal.nvdla.datapath.OutputConverter;
import io.github.int8cal.nvdla.datapath.SdpConfig;
import io.github.int8cal.nvdla.datapath.SdpOperand;
import io.github.int8cal.nvdla.datapath.SdpOutput;
import io.github.int8cal.nvdla.datapath.SdpStage;
import io.github.int8cal.nvdla.datapath.XUnit;
import io.github.int8cal.nvdla.datapath.YUnit;

/**
 * Runs the layer a trace programmed: reads the registers (group 0) and the memory image into the
 * datapath's plain inputs, runs the shared {@link ConvolutionEngine} and {@link SdpStage}, and
 * writes the SDP output back to memory in the hardware layout, channel-padding lanes included.
 * Mirrors {@code run}/{@code conv}/{@code sdp} of nvdla_ref.py.
 */
final class TraceLayer {

    private static final int INT8 = 0;

    private final RegisterFile regs;
    private final SparseMemory mem;
    private final HardwareConfig hw;
    private final int atom;

    private TraceLayer(RegisterFile regs, SparseMemory mem, HardwareConfig hw) {
        this.regs = regs;
        this.mem = mem;
        this.hw = hw;
        this.atom = hw.memoryAtom();
    }

    /** Runs the layer, writes its output into {@code mem} and returns the predicted counters. */
    static PredictedCounters run(RegisterFile regs, SparseMemory mem, HardwareConfig hw, ConvolutionEngine engine)
            throws UnsupportedTraceException {
        return new TraceLayer(regs, mem, hw).run(engine);
    }

    private PredictedCounters run(ConvolutionEngine engine) throws UnsupportedTraceException {
        checkSdpSupported();
        boolean flying = regs.flag(SDP, "D_FEATURE_MODE_CFG_0", "FLYING_MODE");
        int width = (int) regs.field(SDP, "D_DATA_CUBE_WIDTH_0", "WIDTH") + 1;
        int height = (int) regs.field(SDP, "D_DATA_CUBE_HEIGHT_0", "HEIGHT") + 1;
        int channels = (int) regs.field(SDP, "D_DATA_CUBE_CHANNEL_0", "CHANNEL") + 1;
        int lanes = new FeatureLayout(atom, 0, 0, 1).lanes(channels);
        int pixels = width * height;
        Long caccSaturated = null;
        SdpOutput out;
        if (flying) {
            LayerInputs conv = convolutionInputs();
            ConvParams p = conv.layer().conv();
            if (p.outWidth() != width || p.outHeight() != height) {
                throw new UnsupportedTraceException("SDP cube " + width + "x" + height
                        + " differs from the convolution output " + p.outWidth() + "x" + p.outHeight());
            }
            if (p.kernels() > lanes) {
                throw new UnsupportedTraceException("SDP channels (" + channels + ") fewer than the kernels ("
                        + p.kernels() + ")");
            }
            ConvLayerConfig layer = new ConvLayerConfig(p, conv.layer().cdma(), conv.layer().clipTruncate(),
                    sdpConfig(lanes, width, height));
            ConvSdpLayer.PlanarResult r = ConvSdpLayer.runPlanar(engine, conv.feature(), conv.weights(), layer, lanes);
            out = r.sdp();
            caccSaturated = PredictedCounters.register(r.cacc().saturated());
        } else {
            int[] input = new int[lanes * pixels];
            readStandaloneSource(input, lanes, width, height);
            out = SdpStage.run(input, lanes, channels, pixels, sdpConfig(lanes, width, height));
        }
        if (!out.compareMode()) {
            writeOutput(out.values(), lanes, width, height);
        }
        long sdpCounter = regs.flag(SDP, "D_PERF_ENABLE_0", "PERF_SAT_EN")
                ? PredictedCounters.register(out.cvt17Saturated()) : 0;
        return new PredictedCounters(caccSaturated, sdpCounter, out.cvt17Saturated(), out.int8Clipped(),
                out.unequal());
    }

    // ---- support checks ----------------------------------------------------------------------

    private void checkSdpSupported() throws UnsupportedTraceException {
        if (regs.field(SDP, "D_DATA_FORMAT_0", "PROC_PRECISION") != INT8
                || regs.field(SDP, "D_DATA_FORMAT_0", "OUT_PRECISION") != INT8) {
            throw new UnsupportedTraceException("SDP int16/fp16 precision (D_DATA_FORMAT="
                    + hex(regs.raw(SDP, "D_DATA_FORMAT_0")) + "); only INT8 is modelled");
        }
        if (regs.flag(SDP, "D_FEATURE_MODE_CFG_0", "OUTPUT_DST")) {
            throw new UnsupportedTraceException("SDP output goes to PDP (OUTPUT_DST=PDP); PDP is not modelled");
        }
        if (regs.flag(SDP, "D_FEATURE_MODE_CFG_0", "WINOGRAD")) {
            throw new UnsupportedTraceException("Winograd output (SDP.D_FEATURE_MODE_CFG.WINOGRAD)");
        }
        if (regs.field(SDP, "D_FEATURE_MODE_CFG_0", "BATCH_NUMBER") != 0) {
            throw new UnsupportedTraceException("batched layers (SDP BATCH_NUMBER > 0)");
        }
        if (hw.sdpEw() && !regs.flag(SDP, "D_DP_EW_CFG_0", "EW_BYPASS")
                && !regs.flag(SDP, "D_DP_EW_CFG_0", "EW_LUT_BYPASS")) {
            throw new UnsupportedTraceException("SDP LUT (EW_LUT_BYPASS=0); the LUT is not modelled");
        }
    }

    private void checkConvSupported() throws UnsupportedTraceException {
        if (regs.flag(CDMA, "D_DATAIN_FORMAT_0", "DATAIN_FORMAT")) {
            throw new UnsupportedTraceException("image (pixel) input (CDMA DATAIN_FORMAT=PIXEL)");
        }
        if (regs.flag(CDMA, "D_MISC_CFG_0", "CONV_MODE") || regs.flag(CSC, "D_MISC_CFG_0", "CONV_MODE")) {
            throw new UnsupportedTraceException("Winograd convolution (CONV_MODE=WINOGRAD)");
        }
        long[] precisions = {regs.field(CDMA, "D_MISC_CFG_0", "IN_PRECISION"),
            regs.field(CDMA, "D_MISC_CFG_0", "PROC_PRECISION"), regs.field(CSC, "D_MISC_CFG_0", "IN_PRECISION"),
            regs.field(CSC, "D_MISC_CFG_0", "PROC_PRECISION"), regs.field(CACC, "D_MISC_CFG_0", "PROC_PRECISION")};
        for (long p : precisions) {
            if (p != INT8) {
                throw new UnsupportedTraceException("int16/fp16 convolution (CDMA/CSC/CACC precision "
                        + p + "); only INT8 is modelled");
            }
        }
        if (regs.flag(CDMA, "D_WEIGHT_FORMAT_0", "WEIGHT_FORMAT")) {
            throw new UnsupportedTraceException("compressed weights (WEIGHT_FORMAT=COMPRESSED)");
        }
        if (regs.field(CDMA, "D_BATCH_NUMBER_0", "BATCHES") != 0) {
            throw new UnsupportedTraceException("batched convolution (CDMA BATCHES > 0)");
        }
    }

    // ---- convolution (flying mode) -----------------------------------------------------------

    /** The convolution as programmed: layer registers (SDP filled in later) and the raw memory data. */
    private record LayerInputs(ConvLayerConfig layer, byte[] feature, byte[] weights) {
    }

    private LayerInputs convolutionInputs() throws UnsupportedTraceException {
        checkConvSupported();
        int inW = (int) regs.field(CDMA, "D_DATAIN_SIZE_0_0", "DATAIN_WIDTH") + 1;
        int inH = (int) regs.field(CDMA, "D_DATAIN_SIZE_0_0", "DATAIN_HEIGHT") + 1;
        int inC = (int) regs.field(CDMA, "D_DATAIN_SIZE_1_0", "DATAIN_CHANNEL") + 1;
        int kernelW = (int) regs.field(CSC, "D_WEIGHT_SIZE_EXT_0_0", "WEIGHT_WIDTH_EXT") + 1;
        int kernelH = (int) regs.field(CSC, "D_WEIGHT_SIZE_EXT_0_0", "WEIGHT_HEIGHT_EXT") + 1;
        int kernelC = (int) regs.field(CSC, "D_WEIGHT_SIZE_EXT_1_0", "WEIGHT_CHANNEL_EXT") + 1;
        int kernels = (int) regs.field(CSC, "D_WEIGHT_SIZE_EXT_1_0", "WEIGHT_KERNEL") + 1;
        if (kernelC > inC) {
            throw new UnsupportedTraceException("CSC kernel channels (" + kernelC
                    + ") exceed the CDMA input channels (" + inC + ")");
        }
        ConvParams p = new ConvParams(inW, inH, kernelC, kernelW, kernelH, kernels,
                (int) regs.field(CSC, "D_CONV_STRIDE_EXT_0", "CONV_X_STRIDE_EXT") + 1,
                (int) regs.field(CSC, "D_CONV_STRIDE_EXT_0", "CONV_Y_STRIDE_EXT") + 1,
                (int) regs.field(CSC, "D_DILATION_EXT_0", "X_DILATION_EXT") + 1,
                (int) regs.field(CSC, "D_DILATION_EXT_0", "Y_DILATION_EXT") + 1,
                (int) regs.field(CSC, "D_ZERO_PADDING_0", "PAD_LEFT"),
                (int) regs.field(CSC, "D_ZERO_PADDING_0", "PAD_TOP"),
                (int) regs.field(CSC, "D_DATAOUT_SIZE_0_0", "DATAOUT_WIDTH") + 1,
                (int) regs.field(CSC, "D_DATAOUT_SIZE_0_0", "DATAOUT_HEIGHT") + 1,
                // int8 pads use the low byte of PAD_VALUE as a signed byte (CSC RDL; csc.cpp:766-777)
                (byte) regs.field(CSC, "D_ZERO_PADDING_VALUE_0", "PAD_VALUE"));
        CdmaInputConverter cvt = new CdmaInputConverter(regs.flag(CDMA, "D_CVT_CFG_0", "CVT_EN"),
                (int) regs.signedField(CDMA, "D_CVT_OFFSET_0", "CVT_OFFSET"),
                (int) regs.signedField(CDMA, "D_CVT_SCALE_0", "CVT_SCALE"),
                (int) regs.field(CDMA, "D_CVT_CFG_0", "CVT_TRUNCATE"));
        int clip = (int) regs.field(CACC, "D_CLIP_CFG_0", "CLIP_TRUNCATE");
        ConvLayerConfig layer = new ConvLayerConfig(p, cvt, clip, SdpConfig.of(XUnit.BYPASSED, OutputConverter.IDENTITY));
        return new LayerInputs(layer, readFeature(p), readWeights(p));
    }

    private byte[] readFeature(ConvParams p) {
        long base = regs.address(CDMA, "D_DAIN_ADDR_LOW_0_0", "DATAIN_ADDR_LOW_0", "D_DAIN_ADDR_HIGH_0_0",
                "DATAIN_ADDR_HIGH_0");
        FeatureLayout layout = new FeatureLayout(atom, regs.bytes(CDMA, "D_LINE_STRIDE_0", "LINE_STRIDE"),
                regs.bytes(CDMA, "D_SURF_STRIDE_0", "SURF_STRIDE"), 1);
        byte[] f = new byte[p.inChannels() * p.inHeight() * p.inWidth()];
        int i = 0;
        for (int c = 0; c < p.inChannels(); c++) {
            for (int y = 0; y < p.inHeight(); y++) {
                for (int x = 0; x < p.inWidth(); x++) {
                    f[i++] = (byte) mem.read(base + layout.offset(c, y, x));
                }
            }
        }
        return f;
    }

    private byte[] readWeights(ConvParams p) {
        long base = regs.address(CDMA, "D_WEIGHT_ADDR_LOW_0", "WEIGHT_ADDR_LOW", "D_WEIGHT_ADDR_HIGH_0",
                "WEIGHT_ADDR_HIGH");
        WeightLayout layout = WeightLayout.of(hw);
        int k = p.kernels();
        int c = p.inChannels();
        int r = p.kernelHeight();
        int s = p.kernelWidth();
        byte[] w = new byte[Math.toIntExact((long) k * c * r * s)];
        int i = 0;
        for (int kk = 0; kk < k; kk++) {
            for (int cc = 0; cc < c; cc++) {
                for (int rr = 0; rr < r; rr++) {
                    for (int ss = 0; ss < s; ss++) {
                        w[i++] = (byte) mem.read(base + layout.offset(kk, rr, ss, cc, k, c, r, s));
                    }
                }
            }
        }
        return w;
    }

    // ---- standalone SDP source -----------------------------------------------------------------

    private void readStandaloneSource(int[] input, int lanes, int width, int height) throws UnsupportedTraceException {
        int srcW = (int) regs.field(SDP_RDMA, "D_DATA_CUBE_WIDTH_0", "WIDTH") + 1;
        int srcH = (int) regs.field(SDP_RDMA, "D_DATA_CUBE_HEIGHT_0", "HEIGHT") + 1;
        int srcC = (int) regs.field(SDP_RDMA, "D_DATA_CUBE_CHANNEL_0", "CHANNEL") + 1;
        if (srcW != width || srcH != height) {
            throw new UnsupportedTraceException("SDP_RDMA cube " + srcW + "x" + srcH + " differs from the SDP cube "
                    + width + "x" + height);
        }
        if (regs.field(SDP_RDMA, "D_FEATURE_MODE_CFG_0", "IN_PRECISION") != INT8) {
            throw new UnsupportedTraceException("SDP_RDMA int16/fp16 input; only INT8 is modelled");
        }
        long base = regs.address(SDP_RDMA, "D_SRC_BASE_ADDR_LOW_0", "SRC_BASE_ADDR_LOW", "D_SRC_BASE_ADDR_HIGH_0",
                "SRC_BASE_ADDR_HIGH");
        FeatureLayout layout = new FeatureLayout(atom, regs.bytes(SDP_RDMA, "D_SRC_LINE_STRIDE_0", "SRC_LINE_STRIDE"),
                regs.bytes(SDP_RDMA, "D_SRC_SURFACE_STRIDE_0", "SRC_SURFACE_STRIDE"), 1);
        int srcLanes = layout.lanes(srcC);
        int pixels = width * height;
        // lanes past the source's last atom were never read: they stay 0
        for (int k = 0; k < Math.min(lanes, srcLanes); k++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    input[k * pixels + y * width + x] = mem.readInt8(base + layout.offset(k, y, x));
                }
            }
        }
    }

    // ---- SDP configuration and operands -------------------------------------------------------

    /** Operands one SDP_RDMA channel (BRDMA, NRDMA or ERDMA) delivers; null members = not delivered. */
    private record DmaOperands(SdpOperand alu, SdpOperand mul) {
        static final DmaOperands NONE = new DmaOperands(null, null);
    }

    private SdpConfig sdpConfig(int lanes, int width, int height) {
        XUnit x1 = xUnit("BS", readDma("BRDMA", "BS", lanes, width, height));
        XUnit x2 = xUnit("BN", readDma("NRDMA", "BN", lanes, width, height));
        // nv_small: the RTL forces EW/Y off whatever D_DP_EW_CFG says (SDP_core.v:518-535)
        YUnit y = hw.sdpEw() ? yUnit(readDma("ERDMA", "EW", lanes, width, height)) : YUnit.BYPASSED;
        OutputConverter cvt = new OutputConverter(regs.signedField(SDP, "D_CVT_OFFSET_0", "CVT_OFFSET"),
                (int) regs.signedField(SDP, "D_CVT_SCALE_0", "CVT_SCALE"),
                (int) regs.field(SDP, "D_CVT_SHIFT_0", "CVT_SHIFT"));
        return new SdpConfig(x1, x2, y, cvt, regs.flag(SDP, "D_PERF_ENABLE_0", "PERF_SAT_EN"));
    }

    private XUnit xUnit(String x, DmaOperands dma) {
        String cfg = "D_DP_" + x + "_CFG_0";
        String aluCfg = "D_DP_" + x + "_ALU_CFG_0";
        String mulCfg = "D_DP_" + x + "_MUL_CFG_0";
        SdpOperand aluReg = SdpOperand.register(regs.signedField(SDP, "D_DP_" + x + "_ALU_SRC_VALUE_0", x + "_ALU_OPERAND"));
        SdpOperand mulReg = SdpOperand.register(regs.signedField(SDP, "D_DP_" + x + "_MUL_SRC_VALUE_0", x + "_MUL_OPERAND"));
        // the unit uses memory only when its SRC says MEM and the DMA delivers that component
        SdpOperand alu = regs.flag(SDP, aluCfg, x + "_ALU_SRC") && dma.alu() != null ? dma.alu() : aluReg;
        SdpOperand mul = regs.flag(SDP, mulCfg, x + "_MUL_SRC") && dma.mul() != null ? dma.mul() : mulReg;
        return new XUnit(regs.flag(SDP, cfg, x + "_BYPASS"), regs.flag(SDP, cfg, x + "_ALU_BYPASS"),
                AluAlgo.ofField(regs.field(SDP, cfg, x + "_ALU_ALGO")), regs.flag(SDP, cfg, x + "_MUL_BYPASS"),
                regs.flag(SDP, cfg, x + "_MUL_PRELU"), regs.flag(SDP, cfg, x + "_RELU_BYPASS"),
                (int) regs.field(SDP, aluCfg, x + "_ALU_SHIFT_VALUE"),
                // 8-bit field, the datapath uses [13:8] (sdp_hls_wrapper.cpp:68, SDP_core.v:936)
                (int) regs.field(SDP, mulCfg, x + "_MUL_SHIFT_VALUE") & 0x3f, alu, mul);
    }

    private YUnit yUnit(DmaOperands dma) {
        String cfg = "D_DP_EW_CFG_0";
        SdpOperand aluReg = SdpOperand.register(regs.signedField(SDP, "D_DP_EW_ALU_SRC_VALUE_0", "EW_ALU_OPERAND"));
        SdpOperand mulReg = SdpOperand.register(regs.signedField(SDP, "D_DP_EW_MUL_SRC_VALUE_0", "EW_MUL_OPERAND"));
        SdpOperand alu = regs.flag(SDP, "D_DP_EW_ALU_CFG_0", "EW_ALU_SRC") && dma.alu() != null ? dma.alu() : aluReg;
        SdpOperand mul = regs.flag(SDP, "D_DP_EW_MUL_CFG_0", "EW_MUL_SRC") && dma.mul() != null ? dma.mul() : mulReg;
        OperandConverter aluCvt = new OperandConverter(regs.flag(SDP, "D_DP_EW_ALU_CFG_0", "EW_ALU_CVT_BYPASS"),
                regs.signedField(SDP, "D_DP_EW_ALU_CVT_OFFSET_VALUE_0", "EW_ALU_CVT_OFFSET"),
                (int) regs.signedField(SDP, "D_DP_EW_ALU_CVT_SCALE_VALUE_0", "EW_ALU_CVT_SCALE"),
                (int) regs.field(SDP, "D_DP_EW_ALU_CVT_TRUNCATE_VALUE_0", "EW_ALU_CVT_TRUNCATE"));
        OperandConverter mulCvt = new OperandConverter(regs.flag(SDP, "D_DP_EW_MUL_CFG_0", "EW_MUL_CVT_BYPASS"),
                regs.signedField(SDP, "D_DP_EW_MUL_CVT_OFFSET_VALUE_0", "EW_MUL_CVT_OFFSET"),
                (int) regs.signedField(SDP, "D_DP_EW_MUL_CVT_SCALE_VALUE_0", "EW_MUL_CVT_SCALE"),
                (int) regs.field(SDP, "D_DP_EW_MUL_CVT_TRUNCATE_VALUE_0", "EW_MUL_CVT_TRUNCATE"));
        return new YUnit(regs.flag(SDP, cfg, "EW_BYPASS"), regs.flag(SDP, cfg, "EW_ALU_BYPASS"),
                AluAlgo.ofField(regs.field(SDP, cfg, "EW_ALU_ALGO")), regs.flag(SDP, cfg, "EW_MUL_BYPASS"),
                regs.flag(SDP, cfg, "EW_MUL_PRELU"), regs.flag(SDP, cfg, "EW_LUT_BYPASS"),
                (int) regs.field(SDP, "D_DP_EW_TRUNCATE_VALUE_0", "EW_TRUNCATE"), alu, aluCvt, mul, mulCvt);
    }

    /**
     * Reads what an SDP_RDMA operand channel delivers (docs/nvdla-arithmetic.md#sdp-data-flow-and-operands): int8 or
     * int16 components, ALU then MUL when both, per kernel ({@code base + k*bpe}) or per element (feature
     * layout with {@code atom*bpe}-byte atoms), for every lane.
     */
    private DmaOperands readDma(String dma, String data, int lanes, int width, int height) {
        String cfg = "D_" + dma + "_CFG_0";
        if (regs.flag(SDP_RDMA, cfg, dma + "_DISABLE")) {
            return DmaOperands.NONE;
        }
        int use = (int) regs.field(SDP_RDMA, cfg, dma + "_DATA_USE");        // MUL=0, ALU=1, BOTH=2
        int componentBytes = regs.flag(SDP_RDMA, cfg, dma + "_DATA_SIZE") ? 2 : 1;
        boolean perElement = regs.flag(SDP_RDMA, cfg, dma + "_DATA_MODE");
        int components = use == 2 ? 2 : 1;
        int elementBytes = components * componentBytes;
        long base = regs.address(SDP_RDMA, "D_" + data + "_BASE_ADDR_LOW_0", data + "_BASE_ADDR_LOW",
                "D_" + data + "_BASE_ADDR_HIGH_0", data + "_BASE_ADDR_HIGH");
        FeatureLayout layout = new FeatureLayout(atom,
                regs.bytes(SDP_RDMA, "D_" + data + "_LINE_STRIDE_0", data + "_LINE_STRIDE"),
                regs.bytes(SDP_RDMA, "D_" + data + "_SURFACE_STRIDE_0", data + "_SURFACE_STRIDE"), elementBytes);
        int pixels = perElement ? width * height : 1;
        int[][] values = new int[components][lanes * pixels];
        for (int k = 0; k < lanes; k++) {
            for (int p = 0; p < pixels; p++) {
                long address = perElement ? base + layout.offset(k, p / width, p % width) : base + (long) k * elementBytes;
                for (int i = 0; i < components; i++) {
                    long a = address + (long) i * componentBytes;
                    values[i][k * pixels + p] = componentBytes == 2 ? mem.readInt16(a) : mem.readInt8(a);
                }
            }
        }
        SdpOperand first = perElement ? new SdpOperand.PerElement(values[0], pixels) : new SdpOperand.PerKernel(values[0]);
        if (use == 2) {
            SdpOperand second = perElement ? new SdpOperand.PerElement(values[1], pixels)
                    : new SdpOperand.PerKernel(values[1]);
            return new DmaOperands(first, second);
        }
        return use == 1 ? new DmaOperands(first, null) : new DmaOperands(null, first);
    }

    // ---- write-back ---------------------------------------------------------------------------

    private void writeOutput(byte[] values, int lanes, int width, int height) {
        long base = regs.address(SDP, "D_DST_BASE_ADDR_LOW_0", "DST_BASE_ADDR_LOW", "D_DST_BASE_ADDR_HIGH_0",
                "DST_BASE_ADDR_HIGH");
        FeatureLayout layout = new FeatureLayout(atom, regs.bytes(SDP, "D_DST_LINE_STRIDE_0", "DST_LINE_STRIDE"),
                regs.bytes(SDP, "D_DST_SURFACE_STRIDE_0", "DST_SURFACE_STRIDE"), 1);
        int pixels = width * height;
        for (int k = 0; k < lanes; k++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    mem.write(base + layout.offset(k, y, x), values[k * pixels + y * width + x]);
                }
            }
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
