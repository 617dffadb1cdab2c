package io.github.int8cal.model.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.NvdlaTableKeys;
import io.github.int8cal.model.ScaleUnification;
import io.github.int8cal.model.TableKey;
import io.github.int8cal.model.TensorRtNames;
import io.github.int8cal.model.TrtName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real LeNet fixture (LeiWang1999/nvdla_loadables): its TensorRT 7.2 cache, mapped to Caffe
 * layer names by our naming rules, must give exactly the nvdla_compiler JSON that was made from it.
 * Reads the prototxt only (no caffemodel): naming must not need weights.
 */
class LenetTableNamingTest {

    static final Path DIR = Path.of("../shared/fixtures/caffe-lenet");

    /** Tiny local TRT cache reader (the stats package owns the real one): {@code name: hex} lines, split at the last ':'. */
    static Map<String, Float> readCache(Path file) throws IOException {
        Map<String, Float> entries = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.lastIndexOf(':');
            int bits = Integer.parseUnsignedInt(line.substring(colon + 1).trim(), 16);
            entries.put(line.substring(0, colon), Float.intBitsToFloat(bits));
        }
        return entries;
    }

    @Test
    void cacheMappedToLayerNamesEqualsTheCompilerJsonInKeysOrderAndValues() throws Exception {
        Graph g = new CaffeReader().read(DIR.resolve("lenet.prototxt"), null);
        Map<String, Float> cache = readCache(DIR.resolve("lenet.calibration.table"));

        TensorRtNames.CacheKeyMapping mapping = TensorRtNames.toTableKeys(g, cache.keySet(), "lenet.calibration.table");
        assertTrue(mapping.problems().isEmpty(), () -> mapping.problems().toString());
        assertTrue(mapping.ignored().isEmpty());

        Map<String, Float> byKey = new LinkedHashMap<>();
        mapping.keyByCacheName().forEach((cacheName, key) -> byKey.put(key, cache.get(cacheName)));

        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("lenet.int8.json").toFile());
        List<String> expectedKeys = new ArrayList<>();
        expected.fieldNames().forEachRemaining(expectedKeys::add);

        List<String> ourKeys = NvdlaTableKeys.of(g).stream().map(TableKey::key).toList();
        assertEquals(expectedKeys, ourKeys, "table keys and their order");
        for (String key : expectedKeys) {
            float want = (float) expected.get(key).get("scale").asDouble();
            assertEquals(want, byKey.get(key), 0f, key);
        }
    }

    @Test
    void relu1IsTheIp1BlobAndIp1IsTheUnnamedFullyConnectedOutput() throws Exception {
        Graph g = new CaffeReader().read(DIR.resolve("lenet.prototxt"), null);
        List<TableKey> keys = NvdlaTableKeys.of(g);
        // ip1 (InnerProduct) writes blob ip1, ReLU relu1 overwrites it in place
        assertEquals(new TableKey("ip1", "ip1@ip1", "ip1"), keys.get(5));
        assertEquals(new TableKey("relu1", "ip1", "relu1"), keys.get(6));
        assertEquals(new TableKey("data", "data", null), keys.get(0));

        List<String> trt = TensorRtNames.of(g).stream().map(TrtName::trtName).toList();
        // the cache fixture's own names, in TensorRT's layer order
        assertEquals(List.of("data", "conv1", "pool1", "conv2", "pool2",
                "(Unnamed Layer* 4) [Fully Connected]_output", "ip1", "ip2", "prob"), trt);
        assertEquals(new ArrayList<>(readCache(DIR.resolve("lenet.calibration.table")).keySet()), trt);
    }

    @Test
    void unificationLeavesLenetUnchangedBecauseItsPoolsAlreadyShareTheirInputScale() throws Exception {
        Graph g = new CaffeReader().read(DIR.resolve("lenet.prototxt"), null);
        Map<String, Float> cache = readCache(DIR.resolve("lenet.calibration.table"));
        Map<String, String> trtOf = TensorRtNames.byTensor(g);
        Map<String, Double> amax = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, String>> it = trtOf.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, String> e = it.next();
            amax.put(e.getKey(), cache.get(e.getValue()) * 127.0);
        }
        ScaleUnification.Result r = ScaleUnification.unify(g, amax, ScaleUnification.Mode.UNIFY);
        assertTrue(r.changes().isEmpty(), () -> r.changes().toString());
        assertEquals(amax, r.amax());
        // relu1 is merged into ip1 (its only consumer), so it may keep its own scale
        assertFalse(r.warnings().stream().anyMatch(w -> w.contains("relu1")));
    }
}
