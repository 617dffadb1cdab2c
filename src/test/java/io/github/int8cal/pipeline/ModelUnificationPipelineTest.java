package io.github.int8cal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.examples.ConcatResidualModel;
import io.github.int8cal.model.StatisticsKeys;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale unification through the whole pipeline, on {@link ConcatResidualModel}: a Concat joins a
 * (amax 2) and b (amax 5), a residual Add sums c (4) and d (7), a MaxPool reads res (9) and writes
 * y (6). Method max makes each amax max(|min|, |max|) of the statistics below, so the expected
 * values are plain arithmetic: groups {a, b, cat} -> 5, {c, d} -> 7, {res, y} -> 9.
 *
 * <p>Expected scales and cache hex were computed with numpy:
 * {@code struct.pack('>f', np.float32(a) / np.float32(127)).hex()}: 1 -> 3c010204, 5 -> 3d214285,
 * 7 -> 3d61c387, 9 -> 3d912245, 2 -> 3c810204, 3 -> 3cc18306, 4 -> 3d010204, 6 -> 3d418306.
 */
class ModelUnificationPipelineTest {

    static final String STATS = "{\"format\": \"nvdla-int8-statistics\", \"version\": 1, \"tensors\": [\n"
            + "{\"name\": \"x\", \"min\": 0, \"max\": 1},\n"
            + "{\"name\": \"a\", \"min\": -2, \"max\": 1.5},\n"
            + "{\"name\": \"b\", \"min\": -5, \"max\": 4},\n"
            + "{\"name\": \"cat\", \"min\": -3, \"max\": 3},\n"
            + "{\"name\": \"c\", \"min\": -4, \"max\": 1},\n"
            + "{\"name\": \"d\", \"min\": 0, \"max\": 7},\n"
            + "{\"name\": \"res\", \"min\": -9, \"max\": 2},\n"
            + "{\"name\": \"y\", \"min\": 0, \"max\": 6}]}\n";

    @TempDir
    Path dir;

    Path model;
    Path stats;

    @BeforeEach
    void files() throws Exception {
        model = ConcatResidualModel.write(dir.resolve("model.onnx"));
        stats = dir.resolve("stats.json");
        Files.writeString(stats, STATS);
    }

    private CalibrateRequest.Builder builder(Path statistics, String out, Boolean unify) {
        return CalibrateRequest.builder().statistics(statistics).calibration(c -> c.method(CalibrationMethod.MAX))
                .model(model, null).unifyScales(unify).outputs(dir.resolve(out), dir.resolve(out + "-report"));
    }

    private CalibrateRequest request(String out, Boolean unify) throws ProblemException {
        return request(stats, out, unify);
    }

    private CalibrateRequest request(Path statistics, String out, Boolean unify) throws ProblemException {
        return builder(statistics, out, unify).build();
    }

    @Test
    void concatAndResidualAddShareTheLargestAmaxInBothTablesAndTheReport() throws Exception {
        ListLog log = new ListLog();
        CalibrateResult r = new CalibratePipeline(log).run(request("u", true));

        assertEquals("TRT-8601-EntropyCalibration2\n"
                + "x: 3c010204\n"
                + "a: 3d214285\n" + "b: 3d214285\n" + "cat: 3d214285\n"
                + "c: 3d61c387\n" + "d: 3d61c387\n"
                + "res: 3d912245\n" + "y: 3d912245\n", Files.readString(r.calibrationCache()));

        Map<String, Float> table = scales(r.calibtable());
        // ONNX: keyed by tensor names, inputs first, then each layer's output in node order
        assertEquals(ConcatResidualModel.TENSORS, new ArrayList<>(table.keySet()));
        assertEquals(5f / 127f, table.get("a"), 0f);
        assertEquals(5f / 127f, table.get("cat"), 0f);
        assertEquals(7f / 127f, table.get("c"), 0f);
        assertEquals(9f / 127f, table.get("y"), 0f);
        assertEquals(1f / 127f, table.get("x"), 0f);

        JsonNode report = new ObjectMapper().readTree(r.report().toFile());
        JsonNode changes = report.get("scaleChanges");
        List<String> summary = new ArrayList<>();
        changes.forEach(c -> summary.add(c.get("tensor").asText() + " " + c.get("oldAmax").asDouble() + "->"
                + c.get("newAmax").asDouble()));
        assertEquals(List.of("a 2.0->5.0", "cat 3.0->5.0", "c 4.0->7.0", "y 6.0->9.0"), summary);
        assertTrue(changes.get(0).get("reason").asText().contains("Concat 'cat'"), changes.get(0).toString());
        assertTrue(changes.get(2).get("reason").asText().contains("Add 'add'"), changes.get(2).toString());
        assertTrue(changes.get(3).get("reason").asText().contains("MaxPool 'pool'"), changes.get(3).toString());
        // the report's tensor list carries the final values too
        assertEquals(5.0, report.get("tensors").get(1).get("amax").asDouble());
        JsonNode add = report.get("layers").get(5);
        assertEquals("add", add.get("name").asText());
        assertEquals((double) (7f / 127f), add.get("inputScales").get("c").asDouble());
        assertEquals((double) (9f / 127f), add.get("outputScales").get("res").asDouble());
        assertEquals("onnx", report.get("model").get("format").asText());
        assertEquals("concat_residual", report.get("model").get("name").asText());
        assertTrue(log.warnings.isEmpty(), log.warnings.toString());
        assertEquals(4, log.info.stream().filter(l -> l.contains("amax") && l.contains("->")).count(), log.info.toString());
    }

    @Test
    void withoutUnificationTheScalesStayAndEveryMismatchIsAWarningNamingTheLayers() throws Exception {
        ListLog log = new ListLog();
        CalibrateResult r = new CalibratePipeline(log).run(request("k", false));
        Map<String, Float> table = scales(r.calibtable());
        assertEquals(2f / 127f, table.get("a"), 0f);
        assertEquals(3f / 127f, table.get("cat"), 0f);
        assertEquals(4f / 127f, table.get("c"), 0f);
        assertEquals(6f / 127f, table.get("y"), 0f);
        assertTrue(Files.readString(r.calibrationCache()).contains("\na: 3c810204\n"));

        // one warning per tensor that differs from its group's largest amax: a, cat, c, y; then the
        // register planner's findings: Concat and MaxPool never rescale, so their readers would use a wrong scale;
        // then the compiler's element-wise equalization: add(c, d) gives c (created first) d's scale
        assertEquals(7, log.warnings.size(), log.warnings.toString());
        assertTrue(log.warnings.get(6).startsWith("nvdla-int8: layer 'add': conv 'conv_c' (tensor 'c') calibrated"
                + " amax 4 runs at amax 7 because sum 'add' takes 'd''s scale: nothing clips, but its steps are 1.75"
                + " times coarser"), log.warnings.get(6));
        assertTrue(log.warnings.get(4).startsWith("nvdla-int8: registers: layer 'cat': SCALE_NOT_PROPAGATED: Concat"),
                log.warnings.get(4));
        assertTrue(log.warnings.get(5).startsWith("nvdla-int8: registers: layer 'pool': SCALE_NOT_PROPAGATED: MaxPool"),
                log.warnings.get(5));
        assertTrue(log.warnings.get(0).contains("'a'") && log.warnings.get(0).contains("Concat 'cat'"),
                log.warnings.get(0));
        assertTrue(log.warnings.get(2).contains("'c'") && log.warnings.get(2).contains("Add 'add'"),
                log.warnings.get(2));
        JsonNode report = new ObjectMapper().readTree(r.report().toFile());
        assertEquals(0, report.get("scaleChanges").size());
        assertEquals(5, report.get("warnings").size());
        assertTrue(report.get("warnings").get(3).asText().contains("MaxPool 'pool'"), report.get("warnings").toString());
        assertTrue(report.get("warnings").get(4).asText().contains("because sum 'add' takes 'd''s scale"),
                report.get("warnings").toString());
        assertEquals(7, r.warnings().size());
        // the report also has the INFO finding that c is requantized to d's larger scale at the sum (no clipping)
        assertEquals(List.of("add", "cat", "pool"), report.get("diagnostics").findValuesAsText("layer"));
        assertEquals("INFO", report.get("diagnostics").get(0).get("severity").asText());
    }

    @Test
    void sameInputsGiveTheSameBytes() throws Exception {
        CalibrateResult one = new CalibratePipeline(BuildLog.SILENT).run(request("1", true));
        CalibrateResult two = new CalibratePipeline(BuildLog.SILENT).run(request("2", true));
        for (int i = 0; i < 3; i++) {
            assertEquals(Files.readString(one.written().get(i)), Files.readString(two.written().get(i)));
        }
    }

    @Test
    void weightsGivenForAnOnnxModelAreIgnoredWithADebugLine() throws Exception {
        ListLog log = new ListLog();
        CalibrateRequest r = builder(stats, "w", true).model(model, dir.resolve("unused.caffemodel"))
                .statisticsNaming(StatisticsKeys.Naming.TENSOR).build();
        CalibrateResult result = new CalibratePipeline(log).run(r);
        assertEquals(1, log.debug.stream().filter(l -> l.contains("unused.caffemodel ignored")).count(), log.debug.toString());
        assertTrue(log.warnings.isEmpty(), log.warnings.toString());
        assertTrue(Files.readString(result.report()).contains("\"weights\": null"));
    }

    /** The same values as {@link #STATS}, as an imported TensorRT cache (hex from the class comment). */
    static final String CACHE = "TRT-8601-EntropyCalibration2\n"
            + "x: 3c010204\n" + "a: 3c810204\n" + "b: 3d214285\n" + "cat: 3cc18306\n"
            + "c: 3d010204\n" + "d: 3d61c387\n" + "res: 3d912245\n" + "y: 3d418306\n";

    @Test
    void unsetUnificationUnifiesStatisticsTheCalibratorChose() throws Exception {
        CalibrateResult auto = new CalibratePipeline(new ListLog()).run(request("auto", null));
        CalibrateResult unified = new CalibratePipeline(new ListLog()).run(request("u", true));

        assertEquals(Files.readString(unified.calibrationCache()), Files.readString(auto.calibrationCache()));
        assertEquals(Files.readString(unified.calibtable()), Files.readString(auto.calibtable()));
    }

    @Test
    void unsetUnificationKeepsAnImportedTableAsGiven() throws Exception {
        Path cache = dir.resolve("imported.cache");
        Files.writeString(cache, CACHE);
        ListLog log = new ListLog();
        CalibrateResult r = new CalibratePipeline(log).run(request(cache, "kept", null));

        assertEquals(CACHE, Files.readString(r.calibrationCache()));
        Map<String, Float> table = scales(r.calibtable());
        assertEquals(2f / 127f, table.get("a"), 0f);
        assertEquals(4f / 127f, table.get("c"), 0f);
        assertEquals(6f / 127f, table.get("y"), 0f);
        assertTrue(log.info.stream().anyMatch(l -> l.contains("trt-cache table is kept as given")), log.info::toString);

        CalibrateResult forced = new CalibratePipeline(new ListLog()).run(request(cache, "forced", true));
        assertEquals(5f / 127f, scales(forced.calibtable()).get("a"), 0f);
    }

    static Map<String, Float> scales(Path calibtable) throws Exception {
        JsonNode n = new ObjectMapper().readTree(calibtable.toFile());
        Map<String, Float> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), (float) e.getValue().get("scale").asDouble()));
        return m;
    }
}
