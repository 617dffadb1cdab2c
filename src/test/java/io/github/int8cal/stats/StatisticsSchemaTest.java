package io.github.int8cal.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published schema and the reader accept the same fields. (The schema itself was also checked
 * with Python's jsonschema Draft202012Validator against the documented example when it was written.)
 */
class StatisticsSchemaTest {

    private static List<String> properties(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void schemaIsDraft202012AndListsTheReadersFields() throws Exception {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/nvdla-int8/statistics.schema.json")) {
            schema = new ObjectMapper().readTree(in);
        }
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asText());
        assertEquals(JsonStatisticsReader.FORMAT_ID, schema.at("/properties/format/const").asText());
        assertEquals(JsonStatisticsReader.VERSION, schema.at("/properties/version/const").asInt());
        assertEquals(List.of("$schema", "format", "version", "tensors"), properties(schema));
        assertEquals(JsonStatisticsReader.TENSOR_FIELDS, properties(schema.at("/$defs/tensor")));
        assertEquals(JsonStatisticsReader.HISTOGRAM_FIELDS, properties(schema.at("/$defs/histogram")));
    }
}
