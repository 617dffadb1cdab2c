package io.github.int8cal.plan;

/** SDP output converter ({@code D_CVT_OFFSET/SCALE/SHIFT}): {@code out = sat8(rnd((x - offset) * scale, shift))}. */
public record CvtProgram(int scale, int shift, int offset) {

    public static final CvtProgram IDENTITY = new CvtProgram(1, 0, 0);

    public double factor() {
        return Math.scalb((double) scale, -shift);
    }

    public boolean isIdentity() {
        return scale == 1 && shift == 0 && offset == 0;
    }
}
