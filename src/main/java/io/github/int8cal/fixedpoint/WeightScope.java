package io.github.int8cal.fixedpoint;

/** How many weight scales a conv/FC layer gets (nvdla_compiler {@code --quantizationMode}). */
public enum WeightScope {
    /** One scale for the whole weight tensor (the compiler's default, despite the name). */
    PER_KERNEL,
    /** One scale per output channel (filter). */
    PER_FILTER
}
