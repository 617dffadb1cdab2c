package io.github.int8cal.verify;

/**
 * One gate rule a layer broke: {@code value} against {@code limit}, with a hint saying what to
 * change (for clipping, the max-calibration alternative computed from the statistics).
 */
public record Violation(String layer, String rule, double value, double limit, String hint) {
}
