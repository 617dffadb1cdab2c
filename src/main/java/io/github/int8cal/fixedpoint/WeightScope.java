package io.github.int8cal.fixedpoint;

import io.github.int8cal.problems.Choice;
import io.github.int8cal.problems.Ids;

/** How many weight scales a conv/FC layer gets (nvdla_compiler {@code --quantizationMode}). */
public enum WeightScope implements Choice {
    /** One scale for the whole weight tensor (the compiler's default, despite the name). */
    PER_KERNEL,
    /** One scale per output channel (filter). */
    PER_FILTER;

    public static WeightScope fromId(String text) {
        return Ids.parse(WeightScope.class, text, "weight quantization");
    }
}
