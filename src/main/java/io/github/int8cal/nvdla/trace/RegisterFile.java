package io.github.int8cal.nvdla.trace;

import io.github.int8cal.nvdla.RegisterMap;
import io.github.int8cal.nvdla.RegisterSpec;
import io.github.int8cal.nvdla.Unit;
import java.util.HashMap;
import java.util.Map;

/**
 * Register group 0 of every modelled unit as a trace leaves it: last write wins, registers never
 * written hold their reset value.
 */
public final class RegisterFile {

    private final RegisterMap map;
    private final Map<RegisterSpec, Long> values = new HashMap<>();

    public RegisterFile(RegisterMap map) {
        this.map = map;
    }

    public RegisterMap map() {
        return map;
    }

    public void write(RegisterSpec register, long value) {
        values.put(register, value & 0xffff_ffffL);
    }

    public long raw(Unit unit, String register) {
        RegisterSpec spec = map.register(unit, register);
        return values.getOrDefault(spec, spec.resetValue());
    }

    /** Unsigned bits of a field. */
    public long field(Unit unit, String register, String field) {
        return map.register(unit, register).requireField(field).decode(raw(unit, register));
    }

    /** A field as the hardware reads it: sign-extended when two's complement. */
    public long signedField(Unit unit, String register, String field) {
        return map.register(unit, register).requireField(field).decodeSigned(raw(unit, register));
    }

    public boolean flag(Unit unit, String register, String field) {
        return field(unit, register, field) != 0;
    }

    /** An address/stride/byte-count field in bytes (the field's bits left in place). */
    public long bytes(Unit unit, String register, String field) {
        return map.register(unit, register).requireField(field).inPlace(raw(unit, register));
    }

    /** {@code HIGH << 32 | LOW} of a 64-bit address split over two registers named {@code <prefix>_LOW/HIGH}. */
    public long address(Unit unit, String lowRegister, String lowField, String highRegister, String highField) {
        return field(unit, highRegister, highField) << 32 | bytes(unit, lowRegister, lowField);
    }
}
