package io.github.int8cal.plan;

/**
 * One input of an element-wise sum: the layer producing it, its calibrated table scale, and
 * whether nvdla_compiler sees other consumers of that producer. The compiler counts output
 * <em>edges</em>: a producer feeding both the next conv and the sum through one blob (ResNet
 * identity blocks) has one edge with two sinks, so pass {@code false} there (nvdla-compiler.md §0.0 item 3).
 */
public record EltwiseInput(String producer, float calibratedScale, boolean compilerSeesOtherConsumers) {
}
