package io.github.int8cal.plan;

/** Where an X unit's operands come from. */
public enum OperandSource {
    /** One value in {@code *_SRC_VALUE} registers ({@code dla} mode PER_LAYER). */
    REGISTER,
    /** One int16 (or pair) per output channel from memory ({@code dla} mode PER_KERNEL). */
    MEMORY_PER_CHANNEL,
    /** One int8 per output element from memory (element-wise operand, {@code dla} mode PER_POINT). */
    MEMORY_PER_POINT_INT8
}
