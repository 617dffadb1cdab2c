package io.github.int8cal.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConcatResidualModelTest {

    @Test
    void committedItModelIsWhatTheGeneratorProduces() throws Exception {
        Path committed = Path.of("src/it/onnx-model/model.onnx");
        if (Boolean.getBoolean("nvdla-int8.regenerate")) {
            ConcatResidualModel.write(committed);
        }
        assertArrayEquals(ConcatResidualModel.bytes(), Files.readAllBytes(committed),
                "regenerate with -Dnvdla-int8.regenerate=true");
    }
}
