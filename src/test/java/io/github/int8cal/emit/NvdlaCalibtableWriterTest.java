package io.github.int8cal.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.stats.Statistics;
import io.github.int8cal.stats.StatisticsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NvdlaCalibtableWriterTest {

    static final Path LENET_DIR = Path.of("../shared/fixtures/caffe-lenet");

    private static List<CalibratedTensor> importedRows(Statistics s) {
        return s.tensors().stream()
                .map(t -> new CalibratedTensor(t.name(), t.min(), t.max(), t.max(), t.importedScale(), "imported", null))
                .collect(Collectors.toList());
    }

    /**
     * lenet.int8.json holds the scales of lenet.calibration.table keyed by Caffe layer names
     * (docs/nvdla-compiler.md#table-keys-and-tensorrt-names: the unnamed FC output is layer ip1, the blob ip1 written
     * last by relu1 is relu1). Python check: 3d65992f -> 0.056054290384054184, 3d65ff18 -> 0.05615147948265076.
     * Every value must be the cache's float32 scale and be spelled exactly as in that file.
     */
    @Test
    void lenetScalesMatchNvdlaTableValuesAndFormatting() throws Exception {
        Statistics cache = new StatisticsReader().read(LENET_DIR.resolve("lenet.calibration.table"), null);
        String ours = new NvdlaCalibtableWriter().write(importedRows(cache));
        String theirs = Files.readString(LENET_DIR.resolve("lenet.int8.json"));
        Map<String, String> layerToCacheName = new java.util.LinkedHashMap<>();
        for (String same : List.of("data", "conv1", "pool1", "conv2", "pool2", "ip2", "prob")) {
            layerToCacheName.put(same, same);
        }
        layerToCacheName.put("ip1", "(Unnamed Layer* 4) [Fully Connected]_output");
        layerToCacheName.put("relu1", "ip1");

        JsonNode expected = new ObjectMapper().readTree(theirs);
        JsonNode actual = new ObjectMapper().readTree(ours);
        assertEquals(9, expected.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String cacheName = layerToCacheName.get(e.getKey());
            double theirScale = e.getValue().get("scale").asDouble();
            assertEquals((float) theirScale, (float) actual.get(cacheName).get("scale").asDouble(), e.getKey());
            String line = "        \"scale\": " + PythonFloatRepr.repr((float) theirScale) + ",\n";
            assertTrue(theirs.contains(line), line);
            assertTrue(ours.contains(line), line);
        }
        assertTrue(ours.contains("        \"scale\": 0.007845180109143257,\n"));
        assertTrue(ours.endsWith("    }\n}"));
    }

    /** With the same keys and order as lenet.int8.json the whole file is byte-identical. */
    @Test
    void writesByteIdenticalNvdlaTableForTheSameKeys() throws Exception {
        Statistics nvdla = new StatisticsReader().read(LENET_DIR.resolve("lenet.int8.json"), null);
        String ours = new NvdlaCalibtableWriter().write(importedRows(nvdla));
        assertEquals(Files.readString(LENET_DIR.resolve("lenet.int8.json")), ours);
    }

    @Test
    void escapesNamesLikePythonJsonDump() {
        CalibratedTensor t = new CalibratedTensor("a\"b\\c\u00e9\u0001", 0, 1, 1, 1e-5f / 1e3f, "imported", null);
        String out = new NvdlaCalibtableWriter().write(List.of(t));
        // python: json.dumps({'a"b\\c\xe9\x01': {...}}, indent=4) key spelling, repr(float(np.float32(1e-8)))
        assertEquals("{\n    \"a\\\"b\\\\c\\u00e9\\u0001\": {\n        \"scale\": 9.99999993922529e-09,\n"
                + "        \"min\": 0,\n        \"max\": 0,\n        \"offset\": 0\n    }\n}", out);
    }
}
