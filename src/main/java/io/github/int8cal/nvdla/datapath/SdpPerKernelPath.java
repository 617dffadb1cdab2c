package io.github.int8cal.nvdla.datapath;

import io.github.int8cal.fixedpoint.Rounding;

/**
 * The common per-layer SDP configuration, specialised: X2 and Y bypassed, X1 bypassed or with
 * register / per-kernel operands (ALU max/min/sum, multiplier, truncate, ReLU; no PReLU), then the
 * output converter. Bit-identical to {@link SdpStage}'s general path (a test compares them on
 * randomized configurations); only faster.
 *
 * <p>Per lane the operands are constants, so the lane's input range {@code [lo, hi]} (one min/max
 * pass) bounds every intermediate: ALU result, product, truncated value, converter product. When
 * every bound, plus the rounding half, stays within {@code int} (and the shifts are at most 30),
 * the lane runs in {@code int} with branch-free round-half-away-from-zero, which C2 vectorises;
 * otherwise it runs the same steps in {@code long}, scalar, with the general path's helpers.
 */
final class SdpPerKernelPath {

    private final XUnit x1;
    private final OutputConverter cvt;
    private final boolean aluOn;
    private final AluAlgo algo;
    private final boolean relu;
    private final int mulShift;
    private final boolean cvtIdentity;

    private SdpPerKernelPath(SdpConfig cfg) {
        this.x1 = cfg.x1();
        this.cvt = cfg.cvt();
        this.aluOn = !x1.bypass() && !x1.aluBypass();
        this.algo = x1.aluAlgo() == AluAlgo.EQL ? AluAlgo.SUM : x1.aluAlgo();  // EQL acts as SUM in X
        this.relu = !x1.bypass() && !x1.reluBypass();
        this.mulShift = x1.bypass() ? 0 : x1.mulShift();
        this.cvtIdentity = cvt.offset() == 0 && cvt.scale() == 1 && cvt.shift() == 0;
    }

    /** The path for {@code cfg}, or null when the configuration needs the general path. */
    static SdpPerKernelPath of(SdpConfig cfg) {
        XUnit x1 = cfg.x1();
        if (!cfg.x2().bypass() || !cfg.y().bypass()) {
            return null;
        }
        if (!x1.bypass() && (x1.prelu() || !perLane(x1.aluOperand()) || !perLane(x1.mulOperand()))) {
            return null;
        }
        return new SdpPerKernelPath(cfg);
    }

    private static boolean perLane(SdpOperand o) {
        return o instanceof SdpOperand.Register || o instanceof SdpOperand.PerKernel;
    }

    /** ALU operand of lane k as X1 uses it: shifted left and saturated to int32. */
    private long aluOperand(int k) {
        return aluOn ? Rounding.shiftLeftSaturate(x1.aluOperand().value(k, 0), x1.aluShift(), 32) : 0;
    }

    /** Multiplier operand of lane k; 1 when the multiplier is bypassed (a * 1 = a, same truncate). */
    private long mulOperand(int k) {
        return x1.bypass() || x1.mulBypass() ? 1 : x1.mulOperand().value(k, 0);
    }

    private long alu(long d, long op) {
        if (!aluOn) {
            return d;
        }
        return switch (algo) {
            case MAX -> Math.max(d, op);
            case MIN -> Math.min(d, op);
            default -> d + op;
        };
    }

    /** Lanes {@code [from, to)}; returns {sat17, clipped}. {@code row} is scratch of {@code pixels} ints. */
    long[] lanes(int[] input, int from, int to, int channels, int pixels, byte[] out) {
        int[] row = new int[pixels];
        long sat17 = 0;
        long clipped = 0;
        for (int k = from; k < to; k++) {
            int base = k * pixels;
            if (!intLane(input, base, pixels, k, row)) {
                longLane(input, base, pixels, k, row);
            }
            // row holds t = the converter's unsaturated 17-bit intermediate, which fits an int in
            // both paths (the long path saturates to 17 bits itself before storing)
            long s = 0;
            long c = 0;
            for (int i = 0; i < pixels; i++) {
                int t = row[i];
                int t17 = Math.max(-65536, Math.min(65535, t));
                int t8 = Math.max(-128, Math.min(127, t17));
                s += t17 != t ? 1 : 0;
                c += t8 != t17 ? 1 : 0;
                out[base + i] = (byte) t8;
            }
            sat17 += s;
            if (k < channels) {
                clipped += c;
            }
        }
        return new long[] {sat17, clipped};
    }

    /**
     * The lane in int arithmetic when its bounds allow; false (row untouched in meaning) otherwise.
     * Exactness: with {@code |a| * |mul| + 2^(s-1) <= 2^31 - 1} the product and its rounding
     * increment fit an int, {@code |p|} is defined (p is never MIN_VALUE) and the truncated value
     * lies in int32, so the hardware's sat32 never clamps; the same argument covers the converter
     * with {@code |m - offset| * |scale|}.
     */
    private boolean intLane(int[] input, int base, int pixels, int k, int[] row) {
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int i = 0; i < pixels; i++) {
            int v = input[base + i];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        long op = aluOperand(k);
        long mul = mulOperand(k);
        long aLo = alu(lo, op);          // max, min and sum are monotone in d
        long aHi = alu(hi, op);
        if (mulShift > 30 || !fitsInt(aLo) || !fitsInt(aHi) || !fitsInt(mul)) {
            return false;
        }
        long half = mulShift == 0 ? 0 : 1L << (mulShift - 1);
        long pA = aLo * mul;             // |a| < 2^32, |mul| < 2^31: no long overflow
        long pB = aHi * mul;
        if (Math.max(Math.abs(pA), Math.abs(pB)) + half > Integer.MAX_VALUE) {
            return false;
        }
        long mLo = Rounding.shiftRightRoundHalfAwayFromZero(Math.min(pA, pB), mulShift);   // rounding is monotone
        long mHi = Rounding.shiftRightRoundHalfAwayFromZero(Math.max(pA, pB), mulShift);
        if (relu) {
            mLo = Math.max(mLo, 0);
            mHi = Math.max(mHi, 0);
        }
        int cShift = cvt.shift();
        if (!cvtIdentity) {
            long cHalf = cShift == 0 ? 0 : 1L << (cShift - 1);
            long bound = Math.max(Math.abs(mLo - cvt.offset()), Math.abs(mHi - cvt.offset())) * Math.abs(cvt.scale());
            if (cShift > 30 || bound + cHalf > Integer.MAX_VALUE) {
                return false;
            }
        }
        int opI = (int) op;
        int mulI = (int) mul;
        int s = mulShift;
        int h = (int) half;
        int floor = relu ? 0 : Integer.MIN_VALUE;
        if (!aluOn || algo == AluAlgo.SUM) {
            for (int i = 0; i < pixels; i++) {
                int p = (input[base + i] + opI) * mulI;
                int sign = p >> 31;
                int r = ((((p ^ sign) - sign) + h) >> s ^ sign) - sign;   // round half away from zero
                row[i] = Math.max(r, floor);
            }
        } else if (algo == AluAlgo.MAX) {
            for (int i = 0; i < pixels; i++) {
                int p = Math.max(input[base + i], opI) * mulI;
                int sign = p >> 31;
                int r = ((((p ^ sign) - sign) + h) >> s ^ sign) - sign;
                row[i] = Math.max(r, floor);
            }
        } else {
            for (int i = 0; i < pixels; i++) {
                int p = Math.min(input[base + i], opI) * mulI;
                int sign = p >> 31;
                int r = ((((p ^ sign) - sign) + h) >> s ^ sign) - sign;
                row[i] = Math.max(r, floor);
            }
        }
        if (!cvtIdentity) {
            int off = (int) cvt.offset();   // |m - offset| fits int: checked above (bound >= |m - offset|)
            int sc = cvt.scale();
            int ch = cShift == 0 ? 0 : 1 << (cShift - 1);
            if (!fitsInt(Math.max(Math.abs(mLo - cvt.offset()), Math.abs(mHi - cvt.offset())))) {
                return false;
            }
            for (int i = 0; i < pixels; i++) {
                int v = (row[i] - off) * sc;
                int sign = v >> 31;
                row[i] = ((((v ^ sign) - sign) + ch) >> cShift ^ sign) - sign;
            }
        }
        return true;
    }

    /** The lane in long arithmetic, the general path's steps; stores t saturated to 17 bits (+1 beyond, so counting sees it). */
    private void longLane(int[] input, int base, int pixels, int k, int[] row) {
        long op = aluOperand(k);
        long mul = mulOperand(k);
        int s = mulShift;
        for (int i = 0; i < pixels; i++) {
            long a = alu(input[base + i], op);
            long m = Rounding.shiftRightRoundSaturate(a * mul, s, 49, 32);
            if (relu && m <= 0) {
                m = 0;
            }
            long t = cvt.unsaturated17(m);
            // keep "outside 17 bits" visible to the caller's counter without int overflow
            row[i] = (int) Math.max(-65537, Math.min(65536, t));
        }
    }

    private static boolean fitsInt(long v) {
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
    }
}
