package io.github.int8cal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.examples.ResidualClipModel;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The residual block of {@link ResidualClipModel} through the whole calibrate run (what the ITs
 * {@code residual-overwrite-fails} / {@code residual-overwrite-precise} do with Maven), with
 * {@code unifyScales=false} and the default gate (1% saturation per layer).
 *
 * <p>Hand numbers: the statistics give stem (after its ReLU) amax 2.04 and b1b amax 0.39754; stem's
 * tensor is created before b1b's, so nvdla_compiler's equalization runs stem at b1b's scale
 * 0.39754 / 127 instead of 2.04 / 127.
 */
class ResidualOverwritePipelineTest {

    @TempDir
    Path dir;

    CalibrateRequest request(RequantMode mode) throws Exception {
        ResidualClipModel.write(dir);
        return CalibrateRequest.builder().statistics(dir.resolve("stats.json"))
                .calibration(c -> c.method(CalibrationMethod.MAX))
                .model(dir.resolve("model.prototxt"), dir.resolve("model.caffemodel")).unifyScales(false)
                .outputs(dir.resolve(mode + "-out"), dir.resolve(mode + "-report"))
                .registers(r -> r.mode(mode)).build();
    }

    static JsonNode json(Path p) throws Exception {
        return new ObjectMapper().readTree(p.toFile());
    }

    static JsonNode tensor(JsonNode report, String name) {
        for (JsonNode t : report.get("tensors")) {
            if (t.get("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no tensor " + name);
    }

    @Test
    void compilerModeClipsTheSkipAndTheGateFailsNamingTheLayers() throws Exception {
        ListLog log = new ListLog();
        ProblemException e = assertThrows(ProblemException.class,
                () -> new CalibratePipeline(log).run(request(RequantMode.COMPILER)));
        assertTrue(e.getMessage().contains("gate violation in layer 'stem'"), e.getMessage());
        String warning = log.warnings.stream().filter(w -> w.contains("because sum 'sum1'")).findFirst().orElseThrow();
        // 127 * (2.04 / 127) = 2.04, 127 * (0.39754 / 127) = 0.3975
        assertTrue(warning.startsWith("nvdla-int8: layer 'sum1': relu 'stem_relu' (tensor 'stem') calibrated amax 2.04"
                + " runs at amax 0.3975 because sum 'sum1' takes 'b1b''s scale: "), warning);
        assertTrue(warning.contains("% of its outputs clip (0% at its calibrated scale)"), warning);
        // the gate table row: the hint names the sum and the tensor whose scale stem took
        String row = log.warnings.stream().filter(w -> w.startsWith("nvdla-int8: stem ")).findFirst().orElseThrow();
        assertTrue(row.contains("maxSaturation") && row.contains("sum 'sum1' gives 'stem' the scale of 'b1b'"), row);

        JsonNode report = json(dir.resolve("COMPILER-report/report.json"));
        JsonNode stem = tensor(report, "stem");
        assertEquals((double) (2.04f / 127f), stem.get("calibratedScale").asDouble());
        assertEquals(tensor(report, "b1b").get("calibratedScale").asDouble(), stem.get("runScale").asDouble());
        assertEquals("sum1", stem.get("overwrittenBy").get("sum").asText());
        assertEquals("b1b", stem.get("overwrittenBy").get("tensor").asText());
        assertTrue(tensor(report, "b1a").get("overwrittenBy").isNull());
        JsonNode violation = report.get("violations").get(0);
        assertEquals("stem", violation.get("layer").asText());
        assertTrue(violation.get("value").asDouble() > 0.01);
        // the verification ran the overwritten scale and also measured what clips at the calibrated one
        JsonNode stemStep = stepOf(report, "stem");
        assertEquals(stem.get("runScale").asDouble(), stemStep.get("runScale").asDouble(), 1e-9);
        assertEquals(stem.get("calibratedScale").asDouble(), stemStep.get("calibratedScale").asDouble(), 1e-9);
        assertEquals(0.0, stemStep.get("calibratedClippedFraction").asDouble());
        comparison(report, "compiler");
    }

    static JsonNode stepOf(JsonNode report, String name) {
        for (JsonNode l : report.get("verification").get("layers")) {
            if (l.get("name").asText().equals(name)) {
                return l;
            }
        }
        throw new AssertionError("no step " + name);
    }

    /** Both modes are verified; compiler clips more than 1% at stem, precise nowhere. */
    static void comparison(JsonNode report, String verifiedMode) {
        JsonNode c = report.get("modeComparison");
        assertEquals(verifiedMode, c.get("verifiedMode").asText());
        assertEquals("[\"stem\"]", c.get("overwrittenTensors").toString());
        assertEquals("stem", c.get("compiler").get("maxClippedLayer").asText());
        assertTrue(c.get("compiler").get("maxClippedFraction").asDouble() > 0.01);
        assertEquals(0.0, c.get("precise").get("maxClippedFraction").asDouble());
        JsonNode stemRow = null;
        for (JsonNode t : c.get("tensors")) {
            if (t.get("tensor").asText().equals("stem")) {
                stemRow = t;
            }
        }
        assertTrue(stemRow.get("compiler").get("sqnrDb").asDouble() < stemRow.get("precise").get("sqnrDb").asDouble(),
                stemRow.toString());
    }

    @Test
    void preciseModeKeepsTheSkipsScaleAndPasses() throws Exception {
        ListLog log = new ListLog();
        CalibrateResult r = new CalibratePipeline(log).run(request(RequantMode.PRECISE));
        assertTrue(r.verification().passed());
        assertTrue(r.verification().violations().isEmpty(), r.verification().violations()::toString);
        JsonNode report = json(r.report());
        JsonNode stem = tensor(report, "stem");
        assertEquals(stem.get("calibratedScale").asDouble(), stem.get("runScale").asDouble());
        assertTrue(stem.get("overwrittenBy").isNull());
        assertTrue(log.warnings.stream().noneMatch(w -> w.contains("because sum")), log.warnings::toString);
        assertTrue(log.info.stream().anyMatch(l -> l.startsWith("nvdla-int8: compiler vs precise mode on this network")),
                log.info::toString);
        comparison(report, "precise");
        assertFalse(Files.exists(dir.resolve("PRECISE-report/.failed")));
    }
}
