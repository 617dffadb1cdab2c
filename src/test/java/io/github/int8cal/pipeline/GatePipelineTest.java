package io.github.int8cal.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.examples.WideRangeConvModel;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.verify.LayerRules;
import io.github.int8cal.verify.VerifySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verification pass and the build gate through the calibrate pipeline, on
 * {@link WideRangeConvModel} (x -> wide_conv -> c -> relu -> y; NVDLA runs conv + ReLU as one
 * hardware layer 'wide_conv' writing y). Filter 0 is (1, -0.5) with bias 0.01, so for |x| <= 1 its
 * output reaches |c| <= 1 + 0.5 + 0.01 = 1.51 (hand calculation): statistics of c, y up to 2 clip
 * nothing, statistics that claim 0.2 clip every output above 0.2.
 */
class GatePipelineTest {

    static final String HONEST = """
            {"format": "nvdla-int8-statistics", "version": 1, "tensors": [
              {"name": "x", "min": -1, "max": 1},
              {"name": "c", "min": -2, "max": 2},
              {"name": "y", "min": 0, "max": 2}]}
            """;
    /** c and y understated tenfold. */
    static final String UNDERSTATED = """
            {"format": "nvdla-int8-statistics", "version": 1, "tensors": [
              {"name": "x", "min": -1, "max": 1},
              {"name": "c", "min": -0.2, "max": 0.2},
              {"name": "y", "min": 0, "max": 0.2}]}
            """;

    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void model() throws Exception {
        model = WideRangeConvModel.write(dir.resolve("model.onnx"));
    }

    /** The verification settings a test sets; the rest keep their defaults. */
    static final Consumer<VerifySettings.Builder> DEFAULTS = v -> { };

    private CalibrateRequest request(String name, String stats, Consumer<VerifySettings.Builder> verify)
            throws Exception {
        Path file = Files.writeString(dir.resolve(name + ".json"), stats);
        return CalibrateRequest.builder().statistics(file).calibration(c -> c.method(CalibrationMethod.MAX))
                .model(model, null).outputs(dir.resolve(name + "-out"), dir.resolve(name + "-report"))
                .verify(verify).build();
    }

    private static JsonNode named(JsonNode array, String name) {
        return RegistersPipelineTest.named(array, name);
    }

    @Test
    void understatedStatisticsFailTheGateOnceAfterWritingEveryOutput() throws Exception {
        ListLog log = new ListLog();
        ProblemException e = assertThrows(ProblemException.class, () -> new CalibratePipeline(log)
                .run(request("u", UNDERSTATED, DEFAULTS)));
        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().contains("'wide_conv' maxSaturation"), e.getMessage());
        // the one table, logged before failing
        assertTrue(log.warnings.stream().anyMatch(l -> l.matches("nvdla-int8: wide_conv +maxSaturation .*")),
                String.join("\n", log.warnings));

        // everything was written for inspection
        Path out = dir.resolve("u-out");
        assertTrue(Files.isRegularFile(out.resolve("calibration.cache")));
        assertTrue(Files.isRegularFile(out.resolve("registers.json")));
        JsonNode report = RegistersPipelineTest.json(dir.resolve("u-report/report.json"));
        JsonNode v = report.get("violations");
        assertEquals(1, v.size());
        assertEquals("wide_conv", v.get(0).get("layer").asText());
        assertEquals("maxSaturation", v.get(0).get("rule").asText());
        assertEquals(0.01, v.get(0).get("limit").asDouble());
        assertTrue(v.get(0).get("value").asDouble() > 0.01);
        assertEquals("synthetic", report.get("verification").get("mode").asText());
        assertFalse(report.get("verification").get("passed").asBoolean());
        // metrics merged by output tensor: the ReLU writes y, the hardware layer's output
        JsonNode relu = named(report.get("layers"), "relu");
        assertEquals("wide_conv", relu.get("verifiedStep").asText());
        assertEquals(v.get(0).get("value").asDouble(), relu.get("clippedFraction").asDouble());
        for (String f : List.of("sqnrDb", "cosine", "maxAbsError", "caccSaturatedFraction")) {
            assertTrue(relu.get(f).isNumber(), f);
        }
        JsonNode conv = named(report.get("layers"), "wide_conv");
        assertTrue(conv.get("verifiedStep").isNull());
        assertTrue(conv.get("clippedFraction").isNull());

        String xml = Files.readString(dir.resolve("u-report/TEST-nvdla-int8.xml"));
        assertTrue(xml.contains("<testcase classname=\"nvdla-int8.wide_conv\" name=\"maxSaturation\">\n"
                + "    <failure type=\"error\""), xml);
        assertTrue(xml.contains("failures=\"1\""), xml);
        assertTrue(xml.contains("<property name=\"mode\" value=\"synthetic\"/>"), xml);
    }

    @Test
    void statisticsCoveringTheRangeClipNothingAndPass() throws Exception {
        CalibrateResult r = new CalibratePipeline(new ListLog()).run(request("h", HONEST, DEFAULTS));
        assertTrue(r.verification().violations().isEmpty());
        assertEquals(0.0, r.verification().layer("wide_conv").orElseThrow().clippedFraction());
        assertEquals(dir.resolve("h-report/TEST-nvdla-int8.xml"), r.junitXml());
        assertTrue(r.written().contains(r.junitXml()));
        assertTrue(Files.readString(r.junitXml()).contains("failures=\"0\""));
    }

    @Test
    void aPerLayerRuleRaisingTheLimitPasses() throws Exception {
        Consumer<VerifySettings.Builder> relaxed = v -> v.rules(g -> g.layer("wide_conv",
                new LayerRules(0.9, null, null)));
        CalibrateResult r = new CalibratePipeline(new ListLog()).run(request("o", UNDERSTATED, relaxed));
        assertTrue(r.verification().violations().isEmpty());
        assertTrue(r.verification().layer("wide_conv").orElseThrow().clippedFraction() > 0.01);
        String xml = Files.readString(r.junitXml());
        assertTrue(xml.contains("<testcase classname=\"nvdla-int8.wide_conv\" name=\"maxSaturation\"/>"), xml);
        // the global limit still holds for the input step
        assertTrue(xml.contains("<testcase classname=\"nvdla-int8.x\" name=\"maxSaturation\"/>"), xml);
    }

    @Test
    void failOnViolationFalseWarnsNamingTheLayerAndPasses() throws Exception {
        ListLog log = new ListLog();
        Consumer<VerifySettings.Builder> warn = v -> v.rules(g -> g.failOnViolation(false));
        CalibrateResult r = new CalibratePipeline(log).run(request("w", UNDERSTATED, warn));
        assertEquals(1, r.verification().violations().size());
        assertTrue(log.warnings.stream().anyMatch(l -> l.startsWith(
                "nvdla-int8: INT8 gate (failOnViolation=false): layer 'wide_conv' maxSaturation ")),
                String.join("\n", log.warnings));
        assertTrue(r.warnings().stream().anyMatch(p -> p.where().equals("layer 'wide_conv'")));
        assertTrue(Files.readString(r.junitXml()).contains("<failure type=\"warning\""));
    }

    @Test
    void theMinSqnrRuleFailsEveryLayerBelowIt() throws Exception {
        Consumer<VerifySettings.Builder> strict = v -> v.rules(g -> g.minSqnrDb(200.0));
        ProblemException e = assertThrows(ProblemException.class,
                () -> new CalibratePipeline(new ListLog()).run(request("s", HONEST, strict)));
        assertTrue(e.getMessage().contains("'wide_conv' minSqnrDb"), e.getMessage());
        assertTrue(e.getMessage().contains("'x' minSqnrDb"), e.getMessage());
    }

    @Test
    void reportAndJUnitXmlAreTheSameBytesOnEveryRun() throws Exception {
        Consumer<VerifySettings.Builder> warn = v -> v.rules(g -> g.failOnViolation(false));
        CalibratePipeline p = new CalibratePipeline(new ListLog());
        CalibrateResult a = p.run(request("a", UNDERSTATED, warn));
        CalibrateResult b = p.run(request("b", UNDERSTATED, warn.andThen(v -> v.enabled(true))));
        assertArrayEquals(Files.readAllBytes(a.report()), Files.readAllBytes(b.report()));
        assertArrayEquals(Files.readAllBytes(a.junitXml()), Files.readAllBytes(b.junitXml()));
    }

    @Test
    void verifyFalseSkipsWithAnInfoLineAndRemovesAnEarlierJUnitXml() throws Exception {
        Path xml = Files.createDirectories(dir.resolve("f-report")).resolve("TEST-nvdla-int8.xml");
        Files.writeString(xml, "<testsuite/>");
        ListLog log = new ListLog();
        CalibrateResult r = new CalibratePipeline(log).run(request("f", UNDERSTATED, v -> v.enabled(false)));
        assertNull(r.verification());
        assertTrue(log.info.contains("nvdla-int8: INT8 verification skipped (verify=false); the build gate is off"));
        assertFalse(Files.exists(xml));
        assertFalse(Files.readString(r.report()).contains("\"verification\""));
    }

    @Test
    void sampleFilesAreDigestInputsInNameOrder() throws Exception {
        Path samples = Files.createDirectories(dir.resolve("samples"));
        Files.writeString(samples.resolve("b.npy"), "");
        Files.writeString(samples.resolve("a.npy"), "");
        Files.writeString(samples.resolve("notes.txt"), "");
        CalibrateRequest r = request("d", HONEST, v -> v.samples(samples));
        List<Path> inputs = r.inputFiles();
        assertEquals(List.of(samples.resolve("a.npy"), samples.resolve("b.npy")), inputs.subList(2, 4));
        assertEquals(4, inputs.size());
        assertTrue(r.toString().contains("samples=" + samples));
    }
}
