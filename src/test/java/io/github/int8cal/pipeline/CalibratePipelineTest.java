package io.github.int8cal.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.calib.TensorOverride;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibratePipelineTest {

    @TempDir
    Path dir;

    private static String histogramJson(String name, double[] c) {
        StringBuilder sb = new StringBuilder("{\"name\":\"" + name + "\",\"min\":-0.5,\"max\":1.0,\"histogram\":"
                + "{\"lo\":0,\"hi\":1.0,\"abs\":true,\"counts\":[");
        for (int i = 0; i < c.length; i++) {
            sb.append(i == 0 ? "" : ",").append((long) c[i]);
        }
        return sb.append("]}}").toString();
    }

    private Path statistics() throws Exception {
        double[] lin = new double[2048];
        double[] exp = new double[2048];
        long v = 1_000_000;
        for (int i = 0; i < 2048; i++) {
            lin[i] = Math.max(0, 1024 - i);
            exp[i] = v;
            v = Math.max(0, v - v / 64 - 1);
        }
        lin[2047] += 1;
        exp[1500] += 3;
        exp[2047] += 1;
        Path f = dir.resolve("stats.json");
        Files.writeString(f, "{\"format\":\"nvdla-int8-statistics\",\"version\":1,\"tensors\":["
                + histogramJson("lin", lin) + "," + histogramJson("exp", exp)
                + ",{\"name\":\"fc\",\"min\":-3,\"max\":2}]}");
        return f;
    }

    private CalibrateRequest request(Path stats, List<TensorOverride> overrides, String out) throws ProblemException {
        return CalibrateRequest.builder().statistics(stats)
                .calibration(c -> c.method(CalibrationMethod.ENTROPY).percentile(99.99).overrides(overrides))
                .outputs(dir.resolve(out), dir.resolve(out + "-report")).build();
    }

    @Test
    void writesAllThreeFilesDeterministically() throws Exception {
        Path stats = statistics();
        List<String> warnings = new ArrayList<>();
        BuildLog log = new RecordingLog(warnings);
        List<TensorOverride> overrides = List.of(new TensorOverride("fc", null, CalibrationMethod.MAX, null));
        CalibrateResult first = new CalibratePipeline(log).run(request(stats, overrides, "a"));
        CalibrateResult second = new CalibratePipeline(log).run(request(stats, overrides, "b"));

        // numpy: float32(float32(amax)/127) for amax 0.499267578125 (H_lin, i=1022),
        // 0.312744140625 (H_exp, i=640) and 3.0 (max of fc) -> 3b80d1a3, 3b2162c6, 3cc18306
        assertEquals("TRT-8601-EntropyCalibration2\nlin: 3b80d1a3\nexp: 3b2162c6\nfc: 3cc18306\n",
                Files.readString(first.calibrationCache()));
        String calibtable = Files.readString(first.calibtable());
        assertTrue(calibtable.startsWith("{\n    \"lin\": {\n        \"scale\": 0.0039312406443059444,\n"), calibtable);
        assertTrue(calibtable.contains("\"exp\": {\n        \"scale\": 0.0024625523947179317,\n"), calibtable);
        assertTrue(calibtable.contains("\"fc\": {\n        \"scale\": 0.023622047156095505,\n"), calibtable);
        String report = Files.readString(first.report());
        assertTrue(report.startsWith("{\n  \"format\": \"nvdla-int8-report\",\n  \"version\": 1,\n  \"tensors\": [\n"));
        assertTrue(report.contains("      \"name\": \"lin\",\n      \"min\": -0.5,\n      \"max\": 1.0,\n"
                + "      \"amax\": 0.499267578125,\n      \"scale\": 0.0039312406443059444,\n"
                + "      \"method\": \"entropy\",\n      \"histogramClippedFraction\": "), report);
        assertTrue(report.contains("      \"method\": \"max\",\n      \"histogramClippedFraction\": null\n    }\n  ]\n}\n"),
                report);
        assertEquals(3, first.tensors());
        assertEquals(2, first.methods().get("entropy"));
        assertTrue(first.warnings().isEmpty());

        for (int i = 0; i < 3; i++) {
            assertArrayEquals(Files.readAllBytes(first.written().get(i)), Files.readAllBytes(second.written().get(i)));
        }
        assertEquals(dir.resolve("a").resolve("calibration.cache"), first.calibrationCache());
        assertEquals(dir.resolve("a-report").resolve("report.json"), first.report());
    }

    @Test
    void trtCacheInputKeepsItsHeaderAndBitsUnlessAskedOtherwise() throws Exception {
        Path cache = Path.of("../shared/fixtures/caffe-lenet/lenet.calibration.table");
        CalibrateResult kept = new CalibratePipeline(BuildLog.SILENT).run(request(cache, List.of(), "k"));
        assertEquals(Files.readString(cache), Files.readString(kept.calibrationCache()));
        assertEquals(9, kept.methods().get("imported"));

        CalibrateRequest retarget = CalibrateRequest.builder().statistics(cache)
                .calibration(c -> c.override(new TensorOverride("prob", 1.0, null, null)))
                .trtHeader("100300", null).outputs(dir.resolve("r"), dir.resolve("rr")).build();
        String text = Files.readString(new CalibratePipeline(BuildLog.SILENT).run(retarget).calibrationCache());
        assertTrue(text.startsWith("TRT-100300-EntropyCalibration2\ndata: 3c008912\n"), text);
        assertTrue(text.endsWith("prob: 3c010204\n"), text); // 1/127
    }

    @Test
    void writesNothingWhenAnythingFails() throws Exception {
        Path stats = statistics();
        ProblemException e = assertThrows(ProblemException.class, () -> new CalibratePipeline(BuildLog.SILENT)
                .run(request(stats, List.of(new TensorOverride("nope", 1.0, null, null)), "x")));
        assertTrue(e.getMessage().contains("tensor 'fc': method entropy needs a histogram"), e.getMessage());
        assertTrue(e.getMessage().contains("override 'nope': names a tensor that is not in"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
        assertFalse(Files.exists(dir.resolve("x-report")));
    }

    @Test
    void rejectsInvalidRequestSettingsTogether() {
        CalibrateRequest.Builder bad = CalibrateRequest.builder().statistics(dir.resolve("missing.json"))
                .calibration(c -> c.method(CalibrationMethod.PERCENTILE).percentile(0)
                        .override(new TensorOverride("a", 1.0, CalibrationMethod.MAX, null))
                        .override(new TensorOverride("b", null, CalibrationMethod.ENTROPY, 99.0)))
                .trtHeader("86", "Entropy").outputs(dir.resolve("o"), dir.resolve("r"));
        ProblemException e = assertThrows(ProblemException.class, () -> new CalibratePipeline(BuildLog.SILENT)
                .run(bad.build()));
        assertEquals(5, e.problems().size(), e.getMessage());
    }

    @Test
    void logsWarnings() throws Exception {
        Path f = dir.resolve("ort.json");
        Files.writeString(f, "{\"x:0\": [0, 0]}");
        List<String> warnings = new ArrayList<>();
        CalibrateRequest r = CalibrateRequest.builder().statistics(f).calibration(c -> c.method(CalibrationMethod.MAX))
                .outputs(dir.resolve("o"), dir.resolve("r")).build();
        CalibrateResult result = new CalibratePipeline(new RecordingLog(warnings)).run(r);
        assertEquals(2, result.warnings().size());
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(0).startsWith("nvdla-int8: " + f + ":1:2: tensor 'x:0' contains ':'"), warnings.get(0));
    }

    private static final class RecordingLog implements BuildLog {
        private final List<String> warnings;

        RecordingLog(List<String> warnings) {
            this.warnings = warnings;
        }

        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
            warnings.add(message);
        }

        @Override
        public void debug(String message) {
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }
    }
}
