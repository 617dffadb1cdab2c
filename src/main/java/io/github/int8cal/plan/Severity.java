package io.github.int8cal.plan;

/** How serious a {@link Diagnostic} is. */
public enum Severity {
    INFO,
    WARNING,
    /** The layer cannot be programmed as asked (the compiler would stop, or the input is invalid). */
    ERROR
}
