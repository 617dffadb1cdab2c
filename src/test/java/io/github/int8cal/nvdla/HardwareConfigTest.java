package io.github.int8cal.nvdla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The embedded presets agree with the hardware project files {@code spec/defs/<name>.spec}. */
class HardwareConfigTest {

    private static final Path SPECS = Path.of("../shared/fixtures/nvdla-hw-configs");

    static Set<String> presetNames() {
        Set<String> names = new HashSet<>();
        HardwareConfig.presets().forEach(p -> names.add(p.name()));
        return names;
    }

    @ParameterizedTest
    @MethodSource("presetNames")
    void presetMatchesItsSpecFile(String name) throws IOException {
        Set<String> defines = new HashSet<>();
        Pattern define = Pattern.compile("\\s*#define\\s+(\\w+).*");
        for (String line : Files.readAllLines(SPECS.resolve(name + ".spec"), StandardCharsets.UTF_8)) {
            Matcher m = define.matcher(line);
            if (m.matches()) {
                defines.add(m.group(1));
            }
        }
        HardwareConfig hw = HardwareConfig.fromId(name);
        assertEquals(sized(defines, "MAC_ATOMIC_C_SIZE_"), hw.atomicC(), "atomic C");
        assertEquals(sized(defines, "MAC_ATOMIC_K_SIZE_"), hw.atomicK(), "atomic K");
        assertEquals(sized(defines, "MEMORY_ATOMIC_SIZE_"), hw.memoryAtom(), "memory atom");
        assertEquals(defines.contains("SDP_EW_ENABLE"), hw.sdpEw(), "EW");
        assertTrue(defines.contains("SDP_EW_ENABLE") || defines.contains("SDP_EW_DISABLE"));
        assertEquals(defines.contains("SDP_LUT_ENABLE"), hw.sdpLut(), "LUT");
        assertEquals(defines.contains("WINOGRAD_ENABLE"), hw.winograd(), "Winograd");
        assertEquals(defines.contains("FEATURE_DATA_TYPE_INT8"), hw.int8Only(), "int8 only");
    }

    private static int sized(Set<String> defines, String prefix) {
        return defines.stream().filter(d -> d.startsWith(prefix)).map(d -> Integer.parseInt(d.substring(prefix.length())))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "* define"));
    }

    @org.junit.jupiter.api.Test
    void everySpecFileHasAPreset() throws IOException {
        try (var files = Files.list(SPECS)) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".spec"))
                    .forEach(f -> assertTrue(presetNames().contains(f.substring(0, f.length() - 5)), f));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HardwareConfig.fromId("nv_tiny"));
        assertTrue(e.getMessage().contains("nv_small_256"), e.getMessage());
    }
}
