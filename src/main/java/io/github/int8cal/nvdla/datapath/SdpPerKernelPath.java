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

    /** Lanes {@code [from, to)}; returns {sat17, clipped}. */
    long[] lanes(int[] input, int from, int to, int channels, int pixels, byte[] out) {
        // scratch rows indexed from 0 like the loop variable: C2 (JDK 17) leaves loops with offset
        // indexes or Math.max/min scalar (measured), so lanes are copied in and bit tricks clamp
        int[] src = new int[pixels];
        int[] row = new int[pixels];
        byte[] bytes = new byte[pixels];
        long sat17 = 0;
        long clipped = 0;
        for (int k = from; k < to; k++) {
            int base = k * pixels;
            System.arraycopy(input, base, src, 0, pixels);
            long[] counts = intLane(src, pixels, k, row, bytes);
            if (counts == null) {
                counts = longLane(src, pixels, k, bytes);
            }
            System.arraycopy(bytes, 0, out, base, pixels);
            sat17 += counts[0];
            if (k < channels) {
                clipped += counts[1];
            }
        }
        return new long[] {sat17, clipped};
    }

    /**
     * The lane in int arithmetic when its bounds allow, else null. Bounds: an OR over
     * {@code v ^ (v >> 31)} (= |v| or |v| - 1) gives {@code |d| <= B}, a power of two. With
     * {@code |a| * |mul| + 2^(s-1) <= 2^31 - 1} the product and its rounding increment fit an
     * int, {@code |p|} is defined (p is never MIN_VALUE) and the truncated value lies in int32, so
     * the hardware's sat32 never clamps; the same argument covers the converter with
     * {@code |m - offset| * |scale|}, and {@code |t| <= 2^30} keeps the clamp tricks from overflowing.
     */
    private long[] intLane(int[] src, int pixels, int k, int[] row, byte[] bytes) {
        int or = 0;
        for (int i = 0; i < pixels; i++) {
            int v = src[i];
            or |= v ^ (v >> 31);
        }
        long bound = 1L << (32 - Integer.numberOfLeadingZeros(or));   // |d| <= bound
        long op = aluOperand(k);
        long mul = mulOperand(k);
        long aLo = alu(-bound, op);      // max, min and sum are monotone in d
        long aHi = alu(bound, op);
        if (mulShift > 30 || !fitsInt(aLo) || !fitsInt(aHi) || !fitsInt(mul)) {
            return null;
        }
        long half = mulShift == 0 ? 0 : 1L << (mulShift - 1);
        long pA = aLo * mul;             // |a| <= 2^31, |mul| <= 2^31: no long overflow
        long pB = aHi * mul;
        if (Math.max(Math.abs(pA), Math.abs(pB)) + half > Integer.MAX_VALUE) {
            return null;
        }
        long mLo = Rounding.shiftRightRoundHalfAwayFromZero(Math.min(pA, pB), mulShift);   // rounding is monotone
        long mHi = Rounding.shiftRightRoundHalfAwayFromZero(Math.max(pA, pB), mulShift);
        if (relu) {
            mLo = Math.max(mLo, 0);
            mHi = Math.max(mHi, 0);
        }
        int cShift = cvt.shift();
        long tBound = Math.max(Math.abs(mLo), Math.abs(mHi));
        if (!cvtIdentity) {
            long cHalf = cShift == 0 ? 0 : 1L << (cShift - 1);
            long diff = Math.max(Math.abs(mLo - cvt.offset()), Math.abs(mHi - cvt.offset()));
            long prod = diff * Math.abs(cvt.scale());
            if (cShift > 30 || !fitsInt(diff) || prod + cHalf > Integer.MAX_VALUE) {
                return null;
            }
            tBound = prod;               // |t| <= |v| after the rounding shift
        }
        if (tBound > 1 << 30) {
            return null;
        }
        int opI = (int) op;
        int mulI = (int) mul;
        int s = mulShift;
        int h = (int) half;
        if (!aluOn || algo == AluAlgo.SUM) {
            for (int i = 0; i < pixels; i++) {
                int p = (src[i] + opI) * mulI;
                int sign = p >> 31;
                row[i] = ((((p ^ sign) - sign) + h) >> s ^ sign) - sign;   // round half away from zero
            }
        } else {
            boolean max = algo == AluAlgo.MAX;
            for (int i = 0; i < pixels; i++) {
                int d = src[i];
                int a = max ? (d >= opI ? d : opI) : (d <= opI ? d : opI);
                int p = a * mulI;
                int sign = p >> 31;
                row[i] = ((((p ^ sign) - sign) + h) >> s ^ sign) - sign;
            }
        }
        if (relu) {
            for (int i = 0; i < pixels; i++) {
                int r = row[i];
                row[i] = r & ~(r >> 31);                                  // max(r, 0)
            }
        }
        if (!cvtIdentity) {
            int off = (int) cvt.offset();
            int sc = cvt.scale();
            int ch = cShift == 0 ? 0 : 1 << (cShift - 1);
            for (int i = 0; i < pixels; i++) {
                int v = (row[i] - off) * sc;
                int sign = v >> 31;
                row[i] = ((((v ^ sign) - sign) + ch) >> cShift ^ sign) - sign;
            }
        }
        long sat = 0;
        long clip = 0;
        if (tBound > 65535) {
            int n17 = 0;
            for (int i = 0; i < pixels; i++) {
                int t = row[i];
                n17 += ((65535 - t) >>> 31) + ((t + 65536) >>> 31);      // t outside 17 bits
            }
            sat = n17;
        }
        if (tBound > 127) {
            int n8 = 0;
            for (int i = 0; i < pixels; i++) {
                int t = row[i];
                n8 += ((127 - t) >>> 31) + ((t + 128) >>> 31);            // t (so t17) outside int8
                int d = t - 127;
                t -= d & ~(d >> 31);                                      // min(t, 127)
                d = t + 128;
                t -= d & (d >> 31);                                       // max(t, -128)
                row[i] = t;
            }
            clip = n8;
        }
        for (int i = 0; i < pixels; i++) {
            bytes[i] = (byte) row[i];
        }
        return new long[] {sat, clip};
    }

    /** The lane in long arithmetic, the general path's steps; returns {sat17, clipped}. */
    private long[] longLane(int[] src, int pixels, int k, byte[] bytes) {
        long op = aluOperand(k);
        long mul = mulOperand(k);
        int s = mulShift;
        long sat = 0;
        long clip = 0;
        for (int i = 0; i < pixels; i++) {
            long a = alu(src[i], op);
            long m = Rounding.shiftRightRoundSaturate(a * mul, s, 49, 32);
            if (relu && m <= 0) {
                m = 0;
            }
            long t = cvt.unsaturated17(m);
            long t17 = Rounding.saturate(t, 17);
            long t8 = Rounding.saturate(t17, 8);
            sat += t17 != t ? 1 : 0;
            clip += t8 != t17 ? 1 : 0;
            bytes[i] = (byte) t8;
        }
        return new long[] {sat, clip};
    }

    private static boolean fitsInt(long v) {
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
    }
}
