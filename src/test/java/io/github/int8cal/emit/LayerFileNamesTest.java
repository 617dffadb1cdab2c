package io.github.int8cal.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerFileNamesTest {

    @Test
    void escapesSlashesColonsSpacesAndPercentWithoutDroppingAnything() {
        assertEquals("res2a%2Fbranch%201%3A0", LayerFileNames.encode("res2a/branch 1:0"));
        assertEquals("a%25b", LayerFileNames.encode("a%b"));
        assertEquals("conv1_relu-2.x", LayerFileNames.encode("conv1_relu-2.x"));
        assertEquals("%2E.", LayerFileNames.encode(".."), "a leading dot is escaped: no parent-folder or hidden names");
        assertEquals("%2Ehidden", LayerFileNames.encode(".hidden"));
        assertEquals("%C3%A9", LayerFileNames.encode("\u00e9"), "UTF-8 bytes");
        assertEquals("%28Unnamed%20Layer%2A%203%29%20%5BScale%5D_output",
                LayerFileNames.encode("(Unnamed Layer* 3) [Scale]_output"));
    }

    @Test
    void distinctLayersGetDistinctFiles() {
        Map<String, String> m = LayerFileNames.of(List.of("a/b", "a_b", "a%2Fb", "a b"));
        assertEquals(4, m.values().stream().distinct().count(), m.toString());
        assertNotEquals(m.get("a/b"), m.get("a%2Fb"));
    }
}
