package io.github.int8cal.fixedpoint;

import io.github.int8cal.problems.Ids;

/** How many weight scales a conv/FC layer gets (nvdla_compiler {@code --quantizationMode}). */
public enum WeightScope {
    /** One scale for the whole weight tensor (the compiler's default, despite the name). */
    PER_KERNEL,
    /** One scale per output channel (filter). */
    PER_FILTER;

    /** {@code per-kernel} or {@code per-filter}, as nvdla_compiler's {@code --quantizationMode} spells them. */
    public String id() {
        return Ids.of(this);
    }

    public static WeightScope fromId(String text) {
        return Ids.parse(WeightScope.class, text, "weight quantization");
    }
}
