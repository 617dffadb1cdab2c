package io.github.int8cal.nvdla.datapath;

import io.github.int8cal.fixedpoint.Rounding;

/**
 * SDP for int8 output: every element through X1, X2, Y and the output converter (order of
 * {@code sdp_hls_wrapper.cpp}). The one implementation used by both the trace emulator and the
 * tensor path. The common per-layer configuration (X2 and Y bypassed, X1 operands per register or
 * per kernel) takes {@link SdpPerKernelPath}, which computes the same bits faster; everything
 * else goes element by element through the units.
 */
public final class SdpStage {

    private SdpStage() {
    }

    private static boolean perElement(SdpOperand operand) {
        return operand instanceof SdpOperand.PerElement;
    }

    /**
     * @param input int32 values planar {@code [lane][pixel]} (CACC output, or the int8 cube read by
     *     SDP_RDMA sign-extended)
     * @param lanes lanes processed (channels padded to whole atoms on the hardware)
     * @param channels real channels ({@code <= lanes}); int8 clipping is counted for these only
     * @param pixels width * height
     */
    public static SdpOutput run(int[] input, int lanes, int channels, int pixels, SdpConfig cfg) {
        return run(input, lanes, channels, pixels, cfg, null);
    }

    /** As {@link #run(int[], int, int, int, SdpConfig)}, with lanes split over the engine's threads. */
    public static SdpOutput run(int[] input, int lanes, int channels, int pixels, SdpConfig cfg,
            ConvolutionEngine engine) {
        return run(input, lanes, channels, pixels, cfg, engine, SdpPerKernelPath.of(cfg));
    }

    /** The general element-by-element path even where the per-kernel fast path applies (for tests). */
    static SdpOutput runGeneral(int[] input, int lanes, int channels, int pixels, SdpConfig cfg,
            ConvolutionEngine engine) {
        return run(input, lanes, channels, pixels, cfg, engine, null);
    }

    private static SdpOutput run(int[] input, int lanes, int channels, int pixels, SdpConfig cfg,
            ConvolutionEngine engine, SdpPerKernelPath fast) {
        if (input.length < (long) lanes * pixels) {
            throw new IllegalArgumentException("SDP input has " + input.length + " values, expected "
                    + (long) lanes * pixels);
        }
        byte[] out = new byte[lanes * pixels];
        // a few parts per thread: on a shared machine a core that gets less time does less of the work
        int parts = engine == null ? 1 : Math.min(lanes, engine.threads() * 4);
        SdpOutput[] partial = new SdpOutput[parts];
        java.util.List<Runnable> tasks = new java.util.ArrayList<>();
        for (int t = 0; t < parts; t++) {
            int part = t;
            int from = lanes * t / parts;
            int to = lanes * (t + 1) / parts;
            if (fast == null) {
                tasks.add(() -> partial[part] = lanes(input, from, to, channels, pixels, cfg, out));
            } else {
                tasks.add(() -> {
                    long[] counts = fast.lanes(input, from, to, channels, pixels, out);
                    partial[part] = new SdpOutput(out, counts[0], counts[1], false, false);
                });
            }
        }
        if (engine == null) {
            tasks.forEach(Runnable::run);
        } else {
            engine.runAll(tasks);
        }
        long sat17 = 0;
        long clipped = 0;
        boolean unequal = false;
        for (SdpOutput o : partial) {
            sat17 += o.cvt17Saturated();
            clipped += o.int8Clipped();
            unequal |= o.unequal();
        }
        return new SdpOutput(out, sat17, clipped, cfg.y().compareMode(), unequal);
    }

    /** Lanes {@code [from, to)} into {@code out}; returns their counts (values = out). */
    private static SdpOutput lanes(int[] input, int from, int to, int channels, int pixels, SdpConfig cfg,
            byte[] out) {
        XUnit x1 = cfg.x1();
        XUnit x2 = cfg.x2();
        YUnit y = cfg.y();
        OutputConverter cvt = cfg.cvt();
        boolean compare = y.compareMode();
        boolean unequal = false;
        long sat17 = 0;
        long clipped = 0;
        boolean x1Elem = perElement(x1.aluOperand()) || perElement(x1.mulOperand());
        boolean x2Elem = perElement(x2.aluOperand()) || perElement(x2.mulOperand());
        boolean yElem = perElement(y.aluOperand()) || perElement(y.mulOperand());
        for (int k = from; k < to; k++) {
            int base = k * pixels;
            // operands that do not vary over the plane are fetched once per lane
            long x1Alu = x1.bypass() ? 0 : x1.aluOperand().value(k, 0);
            long x1Mul = x1.bypass() ? 0 : x1.mulOperand().value(k, 0);
            long x2Alu = x2.bypass() ? 0 : x2.aluOperand().value(k, 0);
            long x2Mul = x2.bypass() ? 0 : x2.mulOperand().value(k, 0);
            long yAlu = y.bypass() ? 0 : y.aluOperandValue(k, 0);
            long yMul = y.bypass() ? 0 : y.mulOperandValue(k, 0);
            for (int p = 0; p < pixels; p++) {
                long d = input[base + p];
                if (!x1.bypass()) {
                    d = x1Elem ? x1.apply(d, x1.aluOperand().value(k, p), x1.mulOperand().value(k, p))
                            : x1.apply(d, x1Alu, x1Mul);
                }
                if (!x2.bypass()) {
                    d = x2Elem ? x2.apply(d, x2.aluOperand().value(k, p), x2.mulOperand().value(k, p))
                            : x2.apply(d, x2Alu, x2Mul);
                }
                if (!y.bypass()) {
                    d = yElem ? y.apply(d, y.aluOperandValue(k, p), y.mulOperandValue(k, p)) : y.apply(d, yAlu, yMul);
                    if (compare) {
                        unequal |= d != 0;
                        continue;
                    }
                }
                long t = cvt.unsaturated17(d);
                long t17 = Rounding.saturate(t, 17);
                if (t17 != t) {
                    sat17++;
                }
                long t8 = Rounding.saturate(t17, 8);
                if (t8 != t17 && k < channels) {
                    clipped++;
                }
                out[base + p] = (byte) t8;
            }
        }
        return new SdpOutput(out, sat17, clipped, compare, unequal);
    }
}
