package io.github.int8cal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.examples.WideRangeConvModel;
import io.github.int8cal.model.StatisticsKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatePipelineTest {

    @TempDir
    Path dir;

    @Test
    void scratch() throws Exception {
        Path model = WideRangeConvModel.write(dir.resolve("model.onnx"));
        Path stats = dir.resolve("stats.json");
        Files.writeString(stats, """
                {"format": "nvdla-int8-statistics", "version": 1, "tensors": [
                  {"name": "x", "min": -1, "max": 1},
                  {"name": "c", "min": -0.2, "max": 0.2},
                  {"name": "y", "min": 0, "max": 0.2}]}
                """);
        ListLog log = new ListLog();
        CalibrateRequest r = new CalibrateRequest(stats, null, CalibrationMethod.MAX, 99.99, false, List.of(), null,
                null, dir.resolve("out"), dir.resolve("rep")).withModel(model, null, true, StatisticsKeys.Naming.AUTO);
        try {
            new CalibratePipeline(log).run(r);
        } catch (Exception e) {
            System.out.println("EXC " + e.getMessage());
        }
        log.info.forEach(System.out::println);
        log.warnings.forEach(System.out::println);
        System.out.println(Files.readString(dir.resolve("rep/report.json")));
        System.out.println(Files.readString(dir.resolve("rep/TEST-nvdla-int8.xml")));
    }
}
