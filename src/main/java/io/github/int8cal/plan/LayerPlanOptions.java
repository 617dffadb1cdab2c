package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.WeightScope;

/**
 * How to plan a layer.
 *
 * @param mode                compiler-compatible or precise
 * @param scope               weight scales per tensor or per filter
 * @param maxMantissaBitsLost report channels whose multiplier kept fewer than {@code 15 - this} bits
 * @param x2Available         precise mode may use the X2 (BN) unit for per-channel power-of-two
 *                            factors; false when X2 is needed for a fused element-wise operand
 */
public record LayerPlanOptions(RequantMode mode, WeightScope scope, int maxMantissaBitsLost, boolean x2Available) {

    public static final int DEFAULT_MAX_BITS_LOST = 4;

    public static LayerPlanOptions compiler(WeightScope scope) {
        return new LayerPlanOptions(RequantMode.COMPILER, scope, DEFAULT_MAX_BITS_LOST, false);
    }

    public static LayerPlanOptions precise(WeightScope scope) {
        return new LayerPlanOptions(RequantMode.PRECISE, scope, DEFAULT_MAX_BITS_LOST, true);
    }

    public LayerPlanOptions withX2Available(boolean available) {
        return new LayerPlanOptions(mode, scope, maxMantissaBitsLost, available);
    }
}
