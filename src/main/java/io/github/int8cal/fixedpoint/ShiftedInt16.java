package io.github.int8cal.fixedpoint;

/**
 * Per-channel ALU operands (bias, BN mean) as int16 plus one common left shift, programmed as the
 * X1/X2 ALU operand and {@code ALU_SHIFT_VALUE}: the hardware adds {@code values16[k] << shift}.
 * {@code values32} are the operands before the shift (in accumulator units); {@code wrapped[k]}
 * marks channels whose shifted value did not fit int16 and wrapped (compiler), whose int32 cast
 * overflowed (compiler), or which were saturated (precise).
 */
public record ShiftedInt16(long[] values32, int[] values16, int shift, boolean[] wrapped) {

    /** The value the hardware adds for channel k: {@code values16[k] * 2^shift}. */
    public long applied(int k) {
        return (long) values16[k] << shift;
    }

    public boolean anyWrapped() {
        for (boolean w : wrapped) {
            if (w) {
                return true;
            }
        }
        return false;
    }

    public int channels() {
        return values16.length;
    }
}
