package io.github.int8cal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.int8cal.calib.CalibrationMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real LeNet fixture (LeiWang1999/nvdla_loadables) through the whole pipeline: its TensorRT 7.2
 * cache, read against its prototxt, must give the nvdla_compiler JSON that was made from that cache
 * (lenet.int8.json) and write the cache back unchanged.
 *
 * <p>unifyScales=true changes nothing for LeNet: pool1/pool2 already carry conv1/conv2's scale in
 * the cache, and relu1 is merged into ip1 (its only reader), so it may keep its own scale. The
 * test runs both settings and expects the same tables.
 */
class LenetModelPipelineTest {

    static final Path DIR = Path.of("../shared/fixtures/caffe-lenet");

    @TempDir
    Path dir;

    private CalibrateRequest request(String out, boolean unify, Path weights) throws Exception {
        return CalibrateRequest.builder().statistics(DIR.resolve("lenet.calibration.table"))
                .calibration(c -> c.method(CalibrationMethod.ENTROPY))
                .model(DIR.resolve("lenet.prototxt"), weights).unifyScales(unify)
                .outputs(dir.resolve(out), dir.resolve(out + "-report"))
                .verify(v -> v.enabled(false)).build();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trtCacheAndPrototxtGiveTheCompilerTableAndTheSameCache(boolean unify) throws Exception {
        CalibrateResult r = new CalibratePipeline(BuildLog.SILENT).run(request("o", unify, null));

        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("lenet.int8.json").toFile());
        JsonNode ours = new ObjectMapper().readTree(r.calibtable().toFile());
        assertEquals(names(expected), names(ours), "calibtable keys and their order");
        for (String key : names(expected)) {
            // the fixture's scales are Python reprs of float32 values: equal after float32 rounding
            assertEquals((float) expected.get(key).get("scale").asDouble(), (float) ours.get(key).get("scale").asDouble(),
                    0f, key);
        }
        // our writer mimics json.dump(indent=4) of NVDLA's calib_txt_to_json.py, so even the bytes agree
        assertEquals(Files.readString(DIR.resolve("lenet.int8.json")), Files.readString(r.calibtable()));
        // the cache keeps TensorRT's names, order, header and float32 bits
        assertEquals(Files.readString(DIR.resolve("lenet.calibration.table")), Files.readString(r.calibrationCache()));
        assertEquals(9, r.tensors());
        assertEquals(9, r.methods().get("imported"));

        String report = Files.readString(r.report());
        assertTrue(report.contains("\"scaleChanges\": []"), report);
        assertTrue(report.contains("\"model\": {\n    \"path\": \"../shared/fixtures/caffe-lenet/lenet.prototxt\",\n"
                + "    \"format\": \"caffe\",\n    \"name\": \"LeNet\",\n    \"weights\": null\n  },\n"), report);
        // the report names model tensors: ip1@ip1 is the InnerProduct output that relu1 overwrites in blob ip1
        JsonNode rep = new ObjectMapper().readTree(report);
        List<String> tensors = new ArrayList<>();
        rep.get("tensors").forEach(t -> tensors.add(t.get("name").asText()));
        assertEquals(List.of("data", "conv1", "pool1", "conv2", "pool2", "ip1@ip1", "ip1", "ip2", "prob"), tensors);
        JsonNode relu1 = rep.get("layers").get(5);
        assertEquals("relu1", relu1.get("name").asText());
        assertEquals("RELU", relu1.get("op").asText());
        // 0x3d65992f and 0x3d65ff18 from the fixture cache, as float32 values
        assertEquals(Float.intBitsToFloat(0x3d65992f), (float) relu1.get("inputScales").get("ip1@ip1").asDouble(), 0f);
        assertEquals(Float.intBitsToFloat(0x3d65ff18), (float) relu1.get("outputScales").get("ip1").asDouble(), 0f);
        assertEquals("[1, 500]", relu1.get("outputShape").toString().replace(",", ", "));
    }

    @Test
    void withoutWeightsOneLineSaysWhatIsSkippedAndWithWeightsTheTablesAreTheSame() throws Exception {
        ListLog log = new ListLog();
        CalibrateResult without = new CalibratePipeline(log).run(request("a", true, null));
        assertEquals(1, log.info.stream().filter(l -> l.contains("no weights given")).count(), log.info.toString());
        assertTrue(log.warnings.isEmpty(), log.warnings.toString());

        ListLog log2 = new ListLog();
        CalibrateResult with = new CalibratePipeline(log2).run(request("b", true, DIR.resolve("lenet.caffemodel")));
        assertTrue(log2.info.stream().noneMatch(l -> l.contains("no weights")), log2.info.toString());
        assertEquals(Files.readString(without.calibtable()), Files.readString(with.calibtable()));
        assertEquals(Files.readString(without.calibrationCache()), Files.readString(with.calibrationCache()));
        assertTrue(Files.readString(with.report()).contains("\"weights\": \"../shared/fixtures/caffe-lenet/lenet.caffemodel\""));
    }

    private static List<String> names(JsonNode n) {
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
