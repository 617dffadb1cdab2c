package io.github.int8cal.nvdla;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One register of a unit: its name as in the trace syntax (for example {@code D_CVT_SCALE_0}), its
 * byte offset inside the unit and its fields (RDL layout).
 */
public record RegisterSpec(Unit unit, String name, int offset, List<RegisterField> fields) {

    public RegisterSpec {
        fields = List.copyOf(fields);
    }

    /** The register's CSB byte address in the given address map. */
    public int address(AddressMap map) {
        return unit.base(map) + offset;
    }

    /** {@code NVDLA_SDP.D_CVT_SCALE_0}: the name used by {@code reg_write} in traces. */
    public String traceName() {
        return "NVDLA_" + unit + "." + name;
    }

    public Optional<RegisterField> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /** The named field; throws when the register has no such field. */
    public RegisterField requireField(String fieldName) {
        return field(fieldName).orElseThrow(() -> new IllegalArgumentException(
                traceName() + " has no field " + fieldName + "; fields: "
                        + fields.stream().map(RegisterField::name).toList()));
    }

    /** Bits of the register that belong to no field (reserved). */
    public long reservedMask() {
        long used = 0;
        for (RegisterField f : fields) {
            used |= f.registerMask();
        }
        return ~used & 0xffff_ffffL;
    }

    /** The register's value after reset. */
    public long resetValue() {
        long raw = 0;
        for (RegisterField f : fields) {
            raw |= f.reset() << f.lsb();
        }
        return raw;
    }

    /** Every field's unsigned bits, in declaration order. */
    public Map<String, Long> decode(long raw) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (RegisterField f : fields) {
            values.put(f.name(), f.decode(raw));
        }
        return values;
    }

    /**
     * Packs field values into the 32-bit register value; fields not given are 0. Throws on an
     * unknown field name or a value that does not fit.
     */
    public long encode(Map<String, Long> values) {
        return encode(values, 0);
    }

    /**
     * Packs field values plus bits in reserved positions (which the hardware ignores but a trace
     * may still write); throws if {@code reservedBits} touches a field.
     */
    public long encode(Map<String, Long> values, long reservedBits) {
        if ((reservedBits & ~reservedMask()) != 0) {
            throw new IllegalArgumentException(String.format("reserved bits 0x%x of %s overlap its fields",
                    reservedBits, traceName()));
        }
        long raw = reservedBits;
        for (Map.Entry<String, Long> e : values.entrySet()) {
            raw |= requireField(e.getKey()).encode(e.getValue());
        }
        return raw;
    }

    /** A raw value split into its fields and the bits it sets outside any field. */
    public record Decoded(Map<String, Long> fields, long reservedBits) {
    }

    /** {@link #decode} plus the reserved bits, so that {@code encode(d.fields(), d.reservedBits())} is exact. */
    public Decoded decodeExactly(long raw) {
        return new Decoded(decode(raw), raw & reservedMask());
    }
}
