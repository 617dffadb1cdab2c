package io.github.int8cal.nvdla;

import java.util.Locale;

/**
 * One bit field of a 32-bit NVDLA register: bits {@code [lsb + width - 1 : lsb]}. {@code signed}
 * marks two's-complement fields (for example {@code SDP.D_CVT_SCALE}); their bit pattern is what
 * the register holds, {@link #decodeSigned} gives the number the hardware uses. {@code reset} is the
 * field's value after reset (unsigned bits).
 */
public record RegisterField(String name, int lsb, int width, boolean signed, long reset) {

    public RegisterField {
        if (lsb < 0 || width < 1 || lsb + width > 32) {
            throw new IllegalArgumentException("field " + name + " [" + (lsb + width - 1) + ":" + lsb
                    + "] does not fit a 32-bit register");
        }
        if (reset < 0 || reset > ((1L << width) - 1)) {
            throw new IllegalArgumentException("reset value of " + name + " does not fit the field");
        }
    }

    /** The same field with another reset value (RDL {@code reset}). */
    public RegisterField withReset(long resetBits) {
        return new RegisterField(name, lsb, width, signed, resetBits);
    }

    /** Bit mask of the field once shifted to bit 0. */
    public long valueMask() {
        return (1L << width) - 1;
    }

    /** Bit mask of the field in place inside the register. */
    public long registerMask() {
        return valueMask() << lsb;
    }

    /** The field's bits, shifted down to bit 0 (unsigned); what the trace comments show. */
    public long decode(long raw) {
        return (raw >>> lsb) & valueMask();
    }

    /** The field's value, sign-extended when the field is two's complement. */
    public long decodeSigned(long raw) {
        long bits = decode(raw);
        return signed ? (bits << (64 - width)) >> (64 - width) : bits;
    }

    /**
     * The field's bits left in place (low bits of the register cleared). For address, stride and
     * byte-count fields this is the byte value the hardware uses, whatever their alignment.
     */
    public long inPlace(long raw) {
        return raw & registerMask();
    }

    /**
     * The register bits that hold {@code value}. Accepts {@code 0 .. 2^width-1} and, for signed
     * fields, also {@code -2^(width-1) .. -1}; anything else is a programming error.
     */
    public long encode(long value) {
        long min = signed ? -(1L << (width - 1)) : 0;
        if (value < min || value > valueMask()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "value %d does not fit field %s [%d:%d]%s", value, name, lsb + width - 1, lsb,
                    signed ? " (signed)" : ""));
        }
        return (value & valueMask()) << lsb;
    }

    /** {@code [hi:lo]} as in the RDL. */
    public String range() {
        return "[" + (lsb + width - 1) + ":" + lsb + "]";
    }
}
