package io.github.int8cal.plan;

/** How requantization factors become register values. */
public enum RequantMode {
    /** Exactly what nvdla_compiler 1.2 programs (truncated 15-bit mantissas, its shift rules). */
    COMPILER,
    /** The most accurate encoding the hardware allows (rounded mantissas, split shifts). */
    PRECISE
}
