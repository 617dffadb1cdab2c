package io.github.int8cal.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReadmeSchemaTest {

    @Test
    void readmeShowsThePublishedStatisticsSchema() throws Exception {
        String schema = Files.readString(Path.of("src/main/resources/META-INF/nvdla-int8/statistics.schema.json"),
                StandardCharsets.UTF_8);
        String indented = schema.lines().map(l -> l.isBlank() ? l : "   " + l).collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains(indented), "README.md must show the schema from src/main/resources unchanged");
    }
}
