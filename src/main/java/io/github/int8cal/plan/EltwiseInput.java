package io.github.int8cal.plan;

/**
 * One input edge of an element-wise op as nvdla_compiler's equalization sees it: the tensor, the
 * layer producing it (the tensor's name for a network input), its current scale, and how many
 * sibling edges the edge has: other <em>output</em> edges of the same producer. A tensor read by
 * several layers (a ResNet skip read by the next conv and by the sum) is one edge with several
 * readers, so it has none (nvdla-compiler's {@code siblingDataEdges}; see docs/residual-networks.md).
 */
public record EltwiseInput(String tensor, String producer, float scale, int siblingEdges) {

    public boolean hasSiblings() {
        return siblingEdges > 0;
    }
}
