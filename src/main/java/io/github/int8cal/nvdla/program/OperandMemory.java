package io.github.int8cal.nvdla.program;

/**
 * Per-channel SDP operands an X unit reads from memory through its RDMA (BRDMA for X1, NRDMA for
 * X2): int16 little-endian per channel (ALU or MUL), or interleaved {@code [alu_k, mul_k]} pairs
 * for BOTH, padded with zeros to whole feature atoms, as the SDP RDMA reads them
 * (docs/nvdla-arithmetic.md#sdp-data-flow-and-operands, PER_KERNEL TWO_BYTE).
 *
 * @param xUnit   {@code X1} or {@code X2}
 * @param dma     {@code BRDMA} or {@code NRDMA}
 * @param address where the emitted registers tell the RDMA to read
 * @param offset  offset of these bytes inside the layer's {@code .dat} file
 * @param alu     ALU operand per channel (empty when the ALU does not read memory)
 * @param mul     MUL operand per channel (empty when the MUL does not read memory)
 * @param bytes   the memory image
 */
public record OperandMemory(String xUnit, String dma, long address, long offset, int[] alu, int[] mul, byte[] bytes) {

    public String layout() {
        if (alu.length > 0 && mul.length > 0) {
            return "interleaved int16 little-endian [alu, mul] per channel, zero-padded to whole atoms";
        }
        return "int16 little-endian " + (alu.length > 0 ? "alu" : "mul") + " per channel, zero-padded to whole atoms";
    }
}
