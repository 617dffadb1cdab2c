package io.github.int8cal.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
                new ReportWriter().write(List.of()));
    }

    @Test
    void modelSectionLayersChangesAndWarningsFollowTheTensors() {
        Map<String, Float> in = new LinkedHashMap<>();
        in.put("x", 1f / 127f);
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("y", 2f / 127f);
        ReportWriter.ModelReport model = new ReportWriter.ModelReport("m/net.onnx", "onnx", "net", null,
                List.of(new ReportWriter.LayerEntry("pool", "POOLING", "MaxPool", List.of("x"), List.of("y"),
                        List.of(1L, 2L, 3L, 3L), in, out)),
                List.of(new ReportWriter.ScaleChange("x", 1.0, 2.0, "shares \"one\" scale")), List.of("w\u00e9"));
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
        assertEquals(expected, new ReportWriter().write(List.of(X), model));
    }
}
