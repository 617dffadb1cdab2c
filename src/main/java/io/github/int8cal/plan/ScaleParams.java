package io.github.int8cal.plan;

/** A Caffe Scale layer per channel: {@code y = gamma * x + beta}; {@code beta} may be null (no bias term). */
public record ScaleParams(float[] gamma, float[] beta) {
}
