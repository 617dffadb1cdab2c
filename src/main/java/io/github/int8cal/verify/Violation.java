package io.github.int8cal.verify;

/**
 * One gate rule a layer broke: {@code value} against {@code limit}, with a hint saying what to
 * change (for clipping, the max-calibration alternative computed from the statistics).
 */
public record Violation(String layer, GateRule rule, double value, double limit, String hint) {

    /** {@code layer 'conv1' maxSaturation 3.2% > limit 1.0% (hint)}: the violation in one line. */
    public String describe() {
        return "layer '" + layer + "' " + rule.id() + " " + rule.format(value) + rule.comparison() + "limit "
                + rule.format(limit) + " (" + hint + ")";
    }
}
