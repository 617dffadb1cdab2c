package io.github.int8cal.nvdla.trace;

/** Numbers as the trace tools write them: {@code 0x1f}, {@code 0X1F} or decimal {@code 31}. */
final class TraceNumbers {

    private TraceNumbers() {
    }

    static long parse(String token) {
        String t = token.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("'" + token + "' is not a number (use 0x.. hex or decimal)");
        }
    }
}
