package io.github.int8cal.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExampleStatisticsTest {

    @Test
    void committedExampleStatisticsAreWhatTheGeneratorProduces() throws Exception {
        String committed = Files.readString(Path.of("examples/tiny-cnn/stats.json"), StandardCharsets.UTF_8);
        assertEquals(ExampleStatistics.generate(), committed,
                "regenerate with: java -cp target/test-classes io.github.int8cal.examples.ExampleStatistics examples/tiny-cnn/stats.json");
    }
}
