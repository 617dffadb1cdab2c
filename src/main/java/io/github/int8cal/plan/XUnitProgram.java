package io.github.int8cal.plan;

/**
 * Programming of one SDP X unit: ALU (SUM) operands with their common left shift, MUL operands
 * with the right shift ("truncate", {@code BS_MUL_SHIFT_VALUE}), and ReLU. Operand arrays hold one
 * value for {@link OperandSource#REGISTER}, one per channel for memory operands, and are empty
 * when the ALU/MUL is bypassed or the operand is the per-point int8 element-wise input.
 */
public record XUnitProgram(XOpType type, OperandSource source, int[] aluOperands, int aluShift,
        int[] mulOperands, int mulShift, boolean relu) {

    /** MUL factor of channel k including the shift: {@code m[k] * 2^-mulShift} (bypassed MUL: {@code 2^-mulShift}). */
    public double factor(int channel) {
        if (type == XOpType.ADD) {
            return Math.scalb(1.0, -mulShift);
        }
        int m = mulOperands.length == 1 ? mulOperands[0] : mulOperands[channel];
        return Math.scalb((double) m, -mulShift);
    }

    public boolean usesMul() {
        return type != XOpType.ADD;
    }

    public boolean usesAlu() {
        return type != XOpType.MUL;
    }
}
