package io.github.int8cal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.calib.CalibratedTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportWriterTest {

    private static final CalibratedTensor X = new CalibratedTensor("x", 0, 1, 1, 1f / 127f, "max", null);

    @Test
    void withoutAModelTheReportHasOnlyFormatVersionAndTensors() {
        assertEquals("{\n  \"format\": \"nvdla-int8-report\",\n  \"version\": 1,\n  \"tensors\": []\n}\n",
                ReportWriter.render(new ReportModel(List.of(), null)));
    }

    @Test
    void modelSectionLayersChangesAndWarningsFollowTheTensors() {
        Map<String, Float> in = new LinkedHashMap<>();
        in.put("x", 1f / 127f);
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("y", 2f / 127f);
        ReportModel.ModelReport model = new ReportModel.ModelReport("m/net.onnx", "onnx", "net", null,
                List.of(new ReportModel.LayerEntry("pool", "POOLING", "MaxPool", List.of("x"), List.of("y"),
                        List.of(1L, 2L, 3L, 3L), in, out, null)),
                List.of(new ReportModel.ScaleChange("x", 1.0, 2.0, "shares \"one\" scale")), List.of("w\u00e9"), null,
                null, Map.of(), null);
        // hand-written: Python repr of float32(1/127) = 0.007874015718698502, of float32(2/127) = 0.015748031437397003
        String expected = "{\n"
                + "  \"format\": \"nvdla-int8-report\",\n"
                + "  \"version\": 1,\n"
                + "  \"model\": {\n"
                + "    \"path\": \"m/net.onnx\",\n"
                + "    \"format\": \"onnx\",\n"
                + "    \"name\": \"net\",\n"
                + "    \"weights\": null\n"
                + "  },\n"
                + "  \"tensors\": [\n"
                + "    {\n"
                + "      \"name\": \"x\",\n"
                + "      \"min\": 0.0,\n"
                + "      \"max\": 1.0,\n"
                + "      \"amax\": 1.0,\n"
                + "      \"scale\": 0.007874015718698502,\n"
                + "      \"method\": \"max\",\n"
                + "      \"histogramClippedFraction\": null\n"
                + "    }\n"
                + "  ],\n"
                + "  \"layers\": [\n"
                + "    {\n"
                + "      \"name\": \"pool\",\n"
                + "      \"op\": \"POOLING\",\n"
                + "      \"type\": \"MaxPool\",\n"
                + "      \"inputs\": [\"x\"],\n"
                + "      \"outputs\": [\"y\"],\n"
                + "      \"outputShape\": [1, 2, 3, 3],\n"
                + "      \"inputScales\": {\"x\": 0.007874015718698502},\n"
                + "      \"outputScales\": {\"y\": 0.015748031437397003}\n"
                + "    }\n"
                + "  ],\n"
                + "  \"scaleChanges\": [\n"
                + "    {\n"
                + "      \"tensor\": \"x\",\n"
                + "      \"oldAmax\": 1.0,\n"
                + "      \"newAmax\": 2.0,\n"
                + "      \"reason\": \"shares \\\"one\\\" scale\"\n"
                + "    }\n"
                + "  ],\n"
                + "  \"warnings\": [\n"
                + "    \"w\\u00e9\"\n"
                + "  ]\n"
                + "}\n";
        assertEquals(expected, ReportWriter.render(new ReportModel(List.of(X), model)));
    }

    @Test
    void registersSectionDiagnosticsAndALayersRequantFollowTheModelSection() {
        // hand-written: 0.5 = 16384 / 2^15 exactly; channel factors 0.5 and 0.25 (16384 >> 15, 16384 >> 16)
        ReportModel.Requant uniform = new ReportModel.Requant("conv", "conv_bias", "compiler",
                new double[] {0.5, 0.5}, new int[] {16384, 16384}, new int[] {15, 15}, new double[] {0.5, 0.5},
                new double[] {0.0, 0.0}, new int[] {15, 15}, 0.0);
        ReportModel.Requant perChannel = new ReportModel.Requant("add", "eltwise_sum", "compiler",
                new double[] {0.5, 0.25}, new int[] {16384, 16384}, new int[] {15, 16}, new double[] {0.5, 0.25},
                new double[] {0.0, 0.0}, new int[] {15, 15}, 0.0);
        Map<String, Double> byMode = new LinkedHashMap<>();
        byMode.put("compiler", 0.0);
        byMode.put("precise", 0.0);
        ReportModel.LayerEntry conv = new ReportModel.LayerEntry("conv", "CONVOLUTION", "Conv", List.of("x"),
                List.of("y"), List.of(1L, 2L), Map.of(), Map.of(),
                new ReportModel.LayerPlan("conv", uniform, perChannel, byMode, "conv: line\n"));
        ReportModel.LayerEntry relu = new ReportModel.LayerEntry("relu", "RELU", "Relu", List.of("y"),
                List.of("y"), List.of(1L, 2L), Map.of(), Map.of(),
                new ReportModel.LayerPlan("conv", null, null, Map.of(), null));
        ReportModel.RegistersReport registers = new ReportModel.RegistersReport("compiler", "per-filter", "feature",
                "nv_small", "registers.json", null, 0.0, byMode,
                List.of(new ReportModel.DiagnosticEntry("conv", "SHIFT_ABOVE_31", "WARNING", "m")));
        String json = ReportWriter.render(new ReportModel(List.of(), new ReportModel.ModelReport("m.onnx", "onnx", "m",
                null, List.of(conv, relu), List.of(), List.of(), registers, null, Map.of(), null)));
        String expectedConv = "      \"outputScales\": {},\n"
                + "      \"hardwareLayer\": \"conv\",\n"
                + "      \"requant\": {\n"
                + "        \"layer\": \"conv\",\n"
                + "        \"kind\": \"conv_bias\",\n"
                + "        \"mode\": \"compiler\",\n"
                + "        \"channels\": 2,\n"
                + "        \"factor\": 0.5,\n"
                + "        \"multiplier\": 16384,\n"
                + "        \"shift\": 15,\n"
                + "        \"effective\": 0.5,\n"
                + "        \"relativeError\": 0.0,\n"
                + "        \"mantissaBits\": [15, 15],\n"
                + "        \"worstRelativeError\": 0.0\n"
                + "      },\n"
                + "      \"eltwiseRequant\": {\n"
                + "        \"layer\": \"add\",\n"
                + "        \"kind\": \"eltwise_sum\",\n"
                + "        \"mode\": \"compiler\",\n"
                + "        \"channels\": 2,\n"
                + "        \"factor\": [0.5, 0.25],\n"
                + "        \"multiplier\": [16384, 16384],\n"
                + "        \"shift\": [15, 16],\n"
                + "        \"effective\": [0.5, 0.25],\n"
                + "        \"relativeError\": [0.0, 0.0],\n"
                + "        \"mantissaBits\": [15, 15],\n"
                + "        \"worstRelativeError\": 0.0\n"
                + "      },\n"
                + "      \"worstRelativeErrorByMode\": {\"compiler\": 0.0, \"precise\": 0.0},\n"
                + "      \"explain\": \"conv: line\\n\"\n"
                + "    },\n";
        assertTrue(json.contains(expectedConv), json);
        assertTrue(json.contains("      \"outputScales\": {},\n      \"hardwareLayer\": \"conv\"\n    }\n"), json);
        String expectedTail = "  \"warnings\": [],\n"
                + "  \"registers\": {\n"
                + "    \"mode\": \"compiler\",\n"
                + "    \"weightQuantization\": \"per-filter\",\n"
                + "    \"inputFormat\": \"feature\",\n"
                + "    \"hardware\": \"nv_small\",\n"
                + "    \"file\": \"registers.json\",\n"
                + "    \"skipped\": null,\n"
                + "    \"worstRelativeError\": 0.0,\n"
                + "    \"worstRelativeErrorByMode\": {\"compiler\": 0.0, \"precise\": 0.0}\n"
                + "  },\n"
                + "  \"diagnostics\": [\n"
                + "    {\n"
                + "      \"layer\": \"conv\",\n"
                + "      \"code\": \"SHIFT_ABOVE_31\",\n"
                + "      \"severity\": \"WARNING\",\n"
                + "      \"message\": \"m\"\n"
                + "    }\n"
                + "  ]\n"
                + "}\n";
        assertTrue(json.endsWith(expectedTail), json);
    }
}
