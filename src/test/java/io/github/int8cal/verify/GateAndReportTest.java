package io.github.int8cal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.report.JUnitXmlWriter;
import io.github.int8cal.report.VerifyJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateAndReportTest {

    static final NetworkPlan EMPTY_PLAN = new NetworkPlan("t", PlanOptions.defaults(ModelFormat.ONNX), List.of(),
            Map.of(), List.of(), List.of(), Optional.empty());

    /** conv1: amax 3.2 (scale 3.2/127) clips 3.2% of 1000 outputs; max calibration's 7.9 clips none. */
    static LayerMetrics conv1() {
        return new LayerMetrics("conv1", "conv1_out", "conv-sdp", 1000, 3.2f / 127, 31.5, 0.9991, 0.4, 0.032, 0.0,
                0L, 0L, 0.032, 7.9, 0.0, "");
    }

    static LayerMetrics conv2(Double sqnr) {
        return new LayerMetrics("conv2", "conv2_out", "conv-sdp", 500, 0.05f, sqnr, 0.97, 0.2, 0.0, 0.0, 0L, 3L, 0.0,
                null, null, "");
    }

    static Map<String, CalibratedTensor> calibration() {
        return Map.of("conv1_out", new CalibratedTensor("conv1_out", -1.0, 7.9, 3.2, 3.2f / 127, "entropy", 0.03));
    }

    @Test
    void saturationViolationHintNamesTheMethodAndTheMaxCalibrationAlternative() {
        List<Violation> v = Gate.evaluate(List.of(conv1(), conv2(14.0)), GateRules.defaults(), EMPTY_PLAN,
                calibration());
        assertEquals(1, v.size(), "SQNR and cosine rules are off by default");
        assertEquals(new Violation("conv1", GateRule.MAX_SATURATION, 0.032, 0.01,
                "amax 3.2 from entropy clips 3.2% here; max calibration (amax 7.9) would clip 0%"), v.get(0));
    }

    @Test
    void perLayerOverridesAndOptionalRulesApply() {
        GateRules rules = GateRules.builder().minSqnrDb(20.0).minCosine(0.99)
                .layer("conv1", new LayerRules(0.05, null, null)).build();
        List<Violation> v = Gate.evaluate(List.of(conv1(), conv2(14.0), conv2(null)), rules, EMPTY_PLAN, Map.of());
        assertEquals(List.of("conv2 minSqnrDb", "conv2 minCosine", "conv2 minCosine"),
                v.stream().map(x -> x.layer() + " " + x.rule()).toList(), "a null SQNR is not a violation");
        assertEquals(14.0, v.get(0).value());
        assertEquals(20.0, v.get(0).limit());
        assertTrue(v.get(0).hint().startsWith("rounding error dominates"), v.get(0).hint());
        // override by tensor name
        assertTrue(Gate.evaluate(List.of(conv2(14.0)), GateRules.builder().minSqnrDb(20.0)
                .layer("conv2_out", new LayerRules(null, 10.0, null)).build(), EMPTY_PLAN, Map.of()).isEmpty());
    }

    @Test
    void warningsDoNotFailTheBuild() {
        List<Violation> v = Gate.evaluate(List.of(conv1()), GateRules.defaults(), EMPTY_PLAN, calibration());
        VerificationReport fail = report(v, true);
        VerificationReport warn = report(v, false);
        assertFalse(fail.passed());
        assertTrue(warn.passed());
        assertTrue(report(List.of(), true).passed());
    }

    static VerificationReport report(List<Violation> v, boolean fail) {
        return new VerificationReport("samples", 4, 1, List.of(conv1(), conv2(null)),
                List.of(new OutputMetrics("prob", true, 4, 0.75)), v, fail, new VerificationReport.Timings(0, 0, 0));
    }

    @Test
    void rendersOneTableOfEveryViolation() {
        List<Violation> v = List.of(new Violation("conv1", GateRule.MAX_SATURATION, 0.032, 0.01, "hint one"),
                new Violation("res2a_branch2c", GateRule.MIN_SQNR_DB, 14.04, 20, "hint two"));
        assertEquals("INT8 verification: 2 gate violations\n"
                + "layer           rule           value    limit    hint\n"
                + "--------------  -------------  -------  -------  ----\n"
                + "conv1           maxSaturation  3.2%     1.0%     hint one\n"
                + "res2a_branch2c  minSqnrDb      14.0 dB  20.0 dB  hint two\n", Gate.render(v));
        assertEquals("INT8 verification: no gate violations\n", Gate.render(List.of()));
    }

    @Test
    void junitXmlHasOneCasePerLayerAndRuleWithFailuresAndSkips(@TempDir Path dir) throws Exception {
        GateRules rules = GateRules.builder().minSqnrDb(20.0).build();
        List<Violation> v = Gate.evaluate(List.of(conv1(), conv2(null)), rules, EMPTY_PLAN, calibration());
        Path file = JUnitXmlWriter.write(dir, report(v, true), rules);
        assertEquals("TEST-nvdla-int8.xml", file.getFileName().toString());
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuite name=\"nvdla-int8\" tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"1\">\n"
                + "  <properties>\n"
                + "    <property name=\"mode\" value=\"samples\"/>\n"
                + "    <property name=\"samples\" value=\"4\"/>\n"
                + "    <property name=\"seed\" value=\"1\"/>\n"
                + "  </properties>\n"
                + "  <testcase classname=\"nvdla-int8.conv1\" name=\"maxSaturation\">\n"
                + "    <failure type=\"error\" message=\"maxSaturation 3.2%, limit 1.0%\">maxSaturation 3.2%, limit"
                + " 1.0%&#10;amax 3.2 from entropy clips 3.2% here; max calibration (amax 7.9) would clip 0%"
                + "</failure>\n"
                + "  </testcase>\n"
                + "  <testcase classname=\"nvdla-int8.conv1\" name=\"minSqnrDb\"/>\n"
                + "  <testcase classname=\"nvdla-int8.conv2\" name=\"maxSaturation\"/>\n"
                + "  <testcase classname=\"nvdla-int8.conv2\" name=\"minSqnrDb\">\n"
                + "    <skipped message=\"not computed for this layer\"/>\n"
                + "  </testcase>\n"
                + "</testsuite>\n", Files.readString(file));
        String warn = JUnitXmlWriter.render(report(v, false), rules);
        assertTrue(warn.contains("<failure type=\"warning\""), warn);
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot;", JUnitXmlWriter.escape("a <b> & \"c\""));
    }

    @Test
    void reportJsonCarriesMetricsNullsAndViolations() throws Exception {
        List<Violation> v = Gate.evaluate(List.of(conv1()), GateRules.defaults(), EMPTY_PLAN, calibration());
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        VerifyJson.addTo(root, report(v, true));
        assertEquals("{\"mode\":\"samples\",\"samples\":4,\"seed\":1,\"failOnViolation\":true,\"passed\":false,"
                + "\"layers\":[{\"name\":\"conv1\",\"tensor\":\"conv1_out\",\"engine\":\"conv-sdp\",\"elements\":1000,"
                + "\"runScale\":0.025196850299835205,\"sqnrDb\":31.5,\"cosine\":0.9991,\"maxAbsError\":0.4,"
                + "\"clippedFraction\":0.032,\"caccSaturatedFraction\":0.0,\"hwCaccOutSaturation\":0,"
                + "\"hwSdpOutSaturation\":0,\"maxCalibrationAmax\":7.9,\"maxCalibrationClippedFraction\":0.0,"
                + "\"note\":\"\"},"
                + "{\"name\":\"conv2\",\"tensor\":\"conv2_out\",\"engine\":\"conv-sdp\",\"elements\":500,"
                + "\"runScale\":0.05000000074505806,\"sqnrDb\":null,\"cosine\":0.97,\"maxAbsError\":0.2,"
                + "\"clippedFraction\":0.0,\"caccSaturatedFraction\":0.0,\"hwCaccOutSaturation\":0,"
                + "\"hwSdpOutSaturation\":3,\"maxCalibrationAmax\":null,\"maxCalibrationClippedFraction\":null,"
                + "\"note\":\"\"}],"
                + "\"outputs\":[{\"tensor\":\"prob\",\"classifier\":true,\"items\":4,\"top1Agreement\":0.75}]}",
                json.writeValueAsString(root.get("verification")));
        assertEquals("[{\"layer\":\"conv1\",\"rule\":\"maxSaturation\",\"value\":0.032,\"limit\":0.01,\"hint\":"
                + "\"amax 3.2 from entropy clips 3.2% here; max calibration (amax 7.9) would clip 0%\"}]",
                json.writeValueAsString(root.get("violations")));
    }
}
