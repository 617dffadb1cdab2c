package io.github.int8cal.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WideRangeConvModelTest {

    @Test
    void committedItModelIsWhatTheGeneratorProduces() throws Exception {
        Path committed = Path.of("src/it/lost-bits-warning/model.onnx");
        if (Boolean.getBoolean("nvdla-int8.regenerate")) {
            Files.createDirectories(committed.getParent());
            WideRangeConvModel.write(committed);
        }
        assertArrayEquals(WideRangeConvModel.bytes(), Files.readAllBytes(committed),
                "regenerate with -Dnvdla-int8.regenerate=true");
    }
}
