package io.github.int8cal.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TinyCnnModelTest {

    static final Path DIR = Path.of("examples/tiny-cnn-model");

    @Test
    void committedExampleFilesAreWhatTheGeneratorProduces() throws Exception {
        byte[] model = TinyCnnModel.bytes();
        byte[] stats = TinyCnnModel.statistics().getBytes(StandardCharsets.UTF_8);
        byte[] understated = TinyCnnModel.understatedStatistics().getBytes(StandardCharsets.UTF_8);
        if (Boolean.getBoolean("nvdla-int8.regenerate")) {
            Files.createDirectories(DIR);
            Files.write(DIR.resolve("model.onnx"), model);
            Files.write(DIR.resolve("stats.json"), stats);
            Files.write(DIR.resolve("stats-understated.json"), understated);
        }
        String hint = "regenerate with -Dnvdla-int8.regenerate=true";
        assertArrayEquals(model, Files.readAllBytes(DIR.resolve("model.onnx")), hint);
        assertArrayEquals(stats, Files.readAllBytes(DIR.resolve("stats.json")), hint);
        assertArrayEquals(understated, Files.readAllBytes(DIR.resolve("stats-understated.json")), hint);
    }

    @Test
    void boundsAreSumsOfAbsoluteWeightsPlusBias() {
        // filter k of conv1 at i: ((37 i + 11 k + 5) mod 19 - 9) / 30; hand check of one weight and one bias
        assertEquals((5 % 19 - 9) / 30f, TinyCnnModel.weight(1, 0, 0));
        assertEquals((7 * 1 + 2) % 5 - 2, Math.round(TinyCnnModel.bias(2, 1) * 50));
        // with input bound 0 only the largest |bias| remains: biases are (-2..2)/50
        assertEquals(2 / 50.0, TinyCnnModel.bound(1, 3, 0.0), 1e-7);
    }
}
