package io.github.int8cal.plan;

/** What an SDP X unit (X1 = BS, X2 = BN) does: {@code dla_sdp_op.type} ADD / MUL / BOTH. */
public enum XOpType {
    /** ALU only (MUL bypassed; its shift still applies). */
    ADD,
    /** MUL only (ALU bypassed). */
    MUL,
    /** ALU then MUL; memory operands are interleaved int16 pairs {@code [alu_k, mul_k]}. */
    BOTH
}
