package io.github.int8cal.fixedpoint;

/** How a scaled weight becomes an integer. */
public enum WeightRounding {
    /**
     * nvdla_compiler: {@code floor(w * inv + 0.5f)} in float32 with {@code inv = 1 / Sw} in
     * float32: round half up ({@code -2.5 -> -2}), and float32 rounding of the product and sum.
     */
    COMPILER_HALF_UP_FLOAT32,
    /** {@code w / Sw} in double, rounded half away from zero (the hardware's own rounding rule). */
    HALF_AWAY_FROM_ZERO
}
