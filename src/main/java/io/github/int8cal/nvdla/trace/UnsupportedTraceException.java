package io.github.int8cal.nvdla.trace;

/** A trace uses a feature the emulator does not model; the message says which. */
final class UnsupportedTraceException extends Exception {

    private static final long serialVersionUID = 1L;

    UnsupportedTraceException(String reason) {
        super(reason);
    }
}
