package io.github.int8cal.nvdla;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registers of the units the emulator models, for one address map. Look registers up by unit
 * and name ({@code register(Unit.SDP, "D_CVT_SCALE_0")}), by trace name
 * ({@code "NVDLA_SDP.D_CVT_SCALE_0"}) or by CSB address; pack and unpack fields through
 * {@link RegisterSpec} and {@link RegisterField}.
 */
public final class RegisterMap {

    private static final Pattern TRACE_NAME = Pattern.compile("NVDLA_(\\w+?)\\.(\\w+)");
    private static final Map<AddressMap, RegisterMap> MAPS = new EnumMap<>(AddressMap.class);

    static {
        for (AddressMap m : AddressMap.values()) {
            MAPS.put(m, new RegisterMap(m, RegisterCatalog.build(m)));
        }
    }

    private final AddressMap addressMap;
    private final List<RegisterSpec> registers;
    private final Map<Unit, Map<String, RegisterSpec>> byName = new EnumMap<>(Unit.class);
    private final Map<Integer, RegisterSpec> byAddress = new HashMap<>();

    private RegisterMap(AddressMap addressMap, List<RegisterSpec> registers) {
        this.addressMap = addressMap;
        this.registers = registers;
        for (RegisterSpec r : registers) {
            byName.computeIfAbsent(r.unit(), u -> new LinkedHashMap<>()).put(r.name(), r);
            RegisterSpec clash = byAddress.put(r.address(addressMap), r);
            if (clash != null) {
                throw new IllegalStateException(r.traceName() + " and " + clash.traceName() + " share an address");
            }
        }
    }

    public static RegisterMap of(AddressMap addressMap) {
        return MAPS.get(addressMap);
    }

    public AddressMap addressMap() {
        return addressMap;
    }

    public List<RegisterSpec> registers() {
        return registers;
    }

    public Optional<RegisterSpec> find(Unit unit, String name) {
        return Optional.ofNullable(byName.getOrDefault(unit, Map.of()).get(name));
    }

    /** The register; throws {@link IllegalArgumentException} naming the unit's registers if unknown. */
    public RegisterSpec register(Unit unit, String name) {
        return find(unit, name).orElseThrow(() -> new IllegalArgumentException(
                "NVDLA_" + unit + " has no register " + name + "; known: "
                        + byName.getOrDefault(unit, Map.of()).keySet()));
    }

    /** Resolves {@code NVDLA_<UNIT>.<REGISTER>} as written in traces. */
    public Optional<RegisterSpec> findByTraceName(String traceName) {
        Matcher m = TRACE_NAME.matcher(traceName.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Unit.fromTraceName(m.group(1)).flatMap(u -> find(u, m.group(2)));
    }

    public Optional<RegisterSpec> findByAddress(int address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    /** CSB byte address of a register. */
    public int address(Unit unit, String name) {
        return register(unit, name).address(addressMap);
    }

    /** All registers of one unit, in offset order as declared. */
    public Map<String, RegisterSpec> unitRegisters(Unit unit) {
        return Collections.unmodifiableMap(byName.getOrDefault(unit, Map.of()));
    }
}
