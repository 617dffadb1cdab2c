package io.github.int8cal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.calib.TensorOverride;
import io.github.int8cal.examples.ConcatResidualModel;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad model inputs end in one ProblemException naming what is wrong; nothing is written. */
class ModelPipelineErrorsTest {

    static final Path LENET = Path.of("../shared/fixtures/caffe-lenet");

    @TempDir
    Path dir;

    private CalibrateRequest.Builder builder(Path stats, Path model, Path weights, List<TensorOverride> overrides) {
        return CalibrateRequest.builder().statistics(stats)
                .calibration(c -> c.method(CalibrationMethod.MAX).overrides(overrides))
                .model(model, weights).outputs(dir.resolve("out"), dir.resolve("report"));
    }

    private CalibrateRequest request(Path stats, Path model, Path weights, List<TensorOverride> overrides)
            throws ProblemException {
        return builder(stats, model, weights, overrides).build();
    }

    private ProblemException fails(CalibrateRequest request) {
        ProblemException e = assertThrows(ProblemException.class,
                () -> new CalibratePipeline(BuildLog.SILENT).run(request));
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
        assertFalse(Files.exists(dir.resolve("report")), "nothing written");
        return e;
    }

    private Path onnxStats(String json) throws Exception {
        return Files.writeString(dir.resolve("stats.json"), "{\"format\": \"nvdla-int8-statistics\", \"version\": 1,"
                + " \"tensors\": [" + json + "]}");
    }

    @Test
    void tensorsWithoutStatisticsAndStatisticsMatchingNothingFailTogether() throws Exception {
        Path model = ConcatResidualModel.write(dir.resolve("m.onnx"));
        StringBuilder json = new StringBuilder();
        for (String t : ConcatResidualModel.TENSORS) {
            if (!t.equals("cat") && !t.equals("d")) {
                json.append("{\"name\": \"").append(t).append("\", \"min\": 0, \"max\": 1},");
            }
        }
        json.append("{\"name\": \"conv_9\", \"min\": 0, \"max\": 1}");
        ProblemException e = fails(request(onnxStats(json.toString()), model, null, List.of()));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("2 tensor(s) of the model have no statistics"), e.getMessage());
        assertTrue(e.getMessage().contains("'cat' (output of Concat 'cat')"), e.getMessage());
        assertTrue(e.getMessage().contains("'d' (output of Conv 'conv_d')"), e.getMessage());
        assertTrue(e.getMessage().contains("1 statistics entry matches nothing in the model"), e.getMessage());
        assertTrue(e.getMessage().contains("'conv_9'"), e.getMessage());
    }

    @Test
    void aTrtCacheFromAnotherPrototxtIsReportedEntryByEntry() throws Exception {
        String cache = Files.readString(LENET.resolve("lenet.calibration.table"))
                .replace("(Unnamed Layer* 4) [Fully Connected]_output", "(Unnamed Layer* 4) [Convolution]_output")
                .replace("prob: ", "softmax: ");
        Path stats = Files.writeString(dir.resolve("other.cache"), cache);
        ProblemException e = fails(request(stats, LENET.resolve("lenet.prototxt"), null, List.of()));
        assertTrue(e.getMessage().contains("'(Unnamed Layer* 4) [Convolution]_output': TensorRT layer 4 of this model"
                + " is layer 'ip1' [Fully Connected], not [Convolution]"), e.getMessage());
        assertTrue(e.getMessage().contains("'softmax'"), e.getMessage());
        assertTrue(e.getMessage().contains("no statistics"), e.getMessage());
    }

    @Test
    void anUnsupportedLayerIsNamedWithItsType() throws Exception {
        Path proto = Files.writeString(dir.resolve("lrn.prototxt"), "name: \"n\"\n"
                + "layer { name: \"data\" type: \"Input\" top: \"data\" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n"
                + "layer { name: \"norm1\" type: \"LRN\" bottom: \"data\" top: \"norm1\" }\n");
        Path stats = onnxStats("{\"name\": \"data\", \"min\": 0, \"max\": 1}, {\"name\": \"norm1\", \"min\": 0, \"max\": 1}");
        ProblemException e = fails(request(stats, proto, null, List.of()));
        assertTrue(e.getMessage().contains("LRN"), e.getMessage());
        assertTrue(e.getMessage().contains("norm1"), e.getMessage());
    }

    @Test
    void aBrokenModelAndBrokenStatisticsAreReportedTogether() throws Exception {
        byte[] whole = ConcatResidualModel.bytes();
        Path truncated = dir.resolve("t.onnx");
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        Path stats = Files.writeString(dir.resolve("stats.json"), "{\"format\": \"nvdla-int8-statistics\", \"version\": 1,"
                + " \"tensors\": [{\"name\": \"x\", \"min\": 0}]}");
        ProblemException e = fails(request(stats, truncated, null, List.of()));
        assertTrue(e.problems().stream().anyMatch(p -> p.where().contains("t.onnx")), e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.where().contains("stats.json")), e.getMessage());
    }

    @Test
    void aPrototxtSyntaxErrorHasLineAndColumn() throws Exception {
        Path proto = Files.writeString(dir.resolve("bad.prototxt"), "name: \"n\"\nlayer { name: \"data\" type: }\n");
        Path stats = onnxStats("{\"name\": \"data\", \"min\": 0, \"max\": 1}");
        ProblemException e = fails(request(stats, proto, null, List.of()));
        assertTrue(e.getMessage().contains("bad.prototxt:2:"), e.getMessage());
    }

    @Test
    void aMissingWeightsFileOrAWrongModelTypeIsAProblem() throws Exception {
        Path stats = Files.writeString(dir.resolve("s.cache"), Files.readString(LENET.resolve("lenet.calibration.table")));
        ProblemException missing = fails(request(stats, LENET.resolve("lenet.prototxt"), dir.resolve("nope.caffemodel"),
                List.of()));
        assertTrue(missing.getMessage().contains("nope.caffemodel"), missing.getMessage());
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());

        Path json = Files.writeString(dir.resolve("model.json"), "{}");
        ProblemException type = fails(request(stats, json, null, List.of()));
        assertTrue(type.getMessage().contains("unknown model type"), type.getMessage());

        Path fakeOnnx = Files.writeString(dir.resolve("fake.onnx"), "{\"not\": \"onnx\"}");
        ProblemException text = fails(request(stats, fakeOnnx, null, List.of()));
        assertTrue(text.getMessage().contains("fake.onnx"), text.getMessage());
    }

    @Test
    void weightsWithoutAModelAreRejected() throws Exception {
        Path stats = onnxStats("{\"name\": \"x\", \"min\": 0, \"max\": 1}");
        CalibrateRequest.Builder r = builder(stats, null, LENET.resolve("lenet.caffemodel"), List.of());
        ProblemException e = assertThrows(ProblemException.class, r::build);
        assertTrue(e.getMessage().contains("without a model"), e.getMessage());
    }

    @Test
    void overridesNameModelTensorsOrTableKeys() throws Exception {
        Path stats = Files.writeString(dir.resolve("s.cache"), Files.readString(LENET.resolve("lenet.calibration.table")));
        // 'relu1' is a calibtable key (tensor ip1); 'ip1@ip1' a model tensor; 'prob' both
        CalibrateRequest ok = builder(stats, LENET.resolve("lenet.prototxt"), null,
                List.of(new TensorOverride("prob", 1.0, null, null), new TensorOverride("relu1", 2.0, null, null),
                        new TensorOverride("ip1@ip1", 3.0, null, null)))
                .outputs(dir.resolve("ok"), dir.resolve("ok-r")).build();
        CalibrateResult r = new CalibratePipeline(BuildLog.SILENT).run(ok);
        String cache = Files.readString(r.calibrationCache());
        // numpy: float32(1)/127 -> 3c010204, float32(2)/127 -> 3c810204, float32(3)/127 -> 3cc18306
        assertTrue(cache.contains("\nprob: 3c010204\n"), cache);
        assertTrue(cache.contains("\nip1: 3c810204\n"), cache);
        assertTrue(cache.contains("\n(Unnamed Layer* 4) [Fully Connected]_output: 3cc18306\n"), cache);

        ProblemException twice = fails(request(stats, LENET.resolve("lenet.prototxt"), null,
                List.of(new TensorOverride("relu1", 2.0, null, null), new TensorOverride("ip1", 2.0, null, null))));
        assertTrue(twice.getMessage().contains("override 'ip1': names tensor 'ip1', which override 'relu1' already sets"),
                twice.getMessage());
        ProblemException unknown = fails(request(stats, LENET.resolve("lenet.prototxt"), null,
                List.of(new TensorOverride("porb", 1.0, null, null))));
        assertTrue(unknown.getMessage().contains("override 'porb'"), unknown.getMessage());
    }
}
