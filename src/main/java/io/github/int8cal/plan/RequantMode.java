package io.github.int8cal.plan;

import io.github.int8cal.problems.Choice;
import io.github.int8cal.problems.Ids;

/** How requantization factors become register values. */
public enum RequantMode implements Choice {
    /** Exactly what nvdla_compiler 1.2 programs (truncated 15-bit mantissas, its shift rules). */
    COMPILER,
    /** The most accurate encoding the hardware allows (rounded mantissas, split shifts). */
    PRECISE;

    public static RequantMode fromId(String text) {
        return Ids.parse(RequantMode.class, text, "register mode");
    }
}
