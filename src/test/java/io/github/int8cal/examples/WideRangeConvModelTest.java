package io.github.int8cal.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WideRangeConvModelTest {

    @Test
    void committedItModelsAreWhatTheGeneratorProduces() throws Exception {
        for (String it : new String[] {"lost-bits-warning", "gate-fails", "gate-override", "gate-warn"}) {
            Path committed = Path.of("src/it", it, "model.onnx");
            if (Boolean.getBoolean("nvdla-int8.regenerate")) {
                Files.createDirectories(committed.getParent());
                WideRangeConvModel.write(committed);
            }
            assertArrayEquals(WideRangeConvModel.bytes(), Files.readAllBytes(committed),
                    committed + ": regenerate with -Dnvdla-int8.regenerate=true");
        }
    }
}
