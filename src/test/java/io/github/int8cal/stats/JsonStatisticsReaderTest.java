package io.github.int8cal.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JsonStatisticsReaderTest {

    private static Statistics parse(String text) throws ProblemException {
        return new StatisticsReader().read(Path.of("stats.json"), text, null);
    }

    private static List<String> problems(String text) {
        ProblemException e = assertThrows(ProblemException.class, () -> parse(text));
        return e.problems().stream().map(Problem::toString).collect(Collectors.toList());
    }

    private static void assertStarts(String expectedPrefix, String actual) {
        assertTrue(actual.startsWith(expectedPrefix), "expected prefix <" + expectedPrefix + "> in <" + actual + ">");
    }

    @Test
    void readsTheDocumentedExample() throws Exception {
        Statistics s = parse("{\"format\":\"nvdla-int8-statistics\",\"version\":1,\"tensors\":[{\"name\":\"conv1\","
                + "\"min\":-3.25,\"max\":7.5,\"histogram\":{\"lo\":0.0,\"hi\":7.5,\"abs\":true,\"counts\":[120,98,0,7]}},"
                + "{\"name\":\"fc\",\"min\":0,\"max\":2}]}");
        assertEquals(StatisticsFormat.JSON, s.format());
        assertNull(s.trtHeader());
        TensorStatistics conv1 = s.tensor("conv1");
        assertEquals(-3.25, conv1.min());
        assertEquals(7.5, conv1.max());
        assertEquals(7.5, conv1.absMax());
        assertArrayEquals(new long[] {120, 98, 0, 7}, conv1.histogram().counts());
        assertTrue(conv1.histogram().abs());
        assertEquals(225, conv1.histogram().total());
        assertNull(conv1.importedScale());
        assertFalse(s.tensor("fc").hasHistogram());
        assertEquals("stats.json:1:58", conv1.where());
    }

    @Test
    void acceptsIntegralFloatCountsAsNumpyWritesThem() throws Exception {
        Statistics s = parse("{\"format\":\"nvdla-int8-statistics\",\"version\":1,\"tensors\":[{\"name\":\"a\","
                + "\"min\":-1,\"max\":1,\"histogram\":{\"lo\":-1,\"hi\":1,\"abs\":false,\"counts\":[1.0,2e0]}}]}");
        assertArrayEquals(new long[] {1, 2}, s.tensor("a").histogram().counts());
        assertFalse(s.tensor("a").histogram().abs());
    }

    /**
     * One file with one problem per tensor; all are reported at once, each at the offending token.
     * Expected columns were computed independently with Python ({@code line.index(token) + 1}).
     */
    @Test
    void reportsEveryProblemAtItsLineAndColumn() {
        String text = String.join("\n",
                "{\"format\": \"nvdla-int8-statistics\", \"version\": 1, \"tensors\": [",
                "    {\"name\": \"nanmin\", \"min\": NaN, \"max\": 1},",
                "    {\"name\": \"infmax\", \"min\": 0, \"max\": Infinity},",
                "    {\"name\": \"swapped\", \"min\": 5, \"max\": 1},",
                "    {\"name\": \"negcount\", \"min\": 0, \"max\": 1, \"histogram\": {\"lo\": 0, \"hi\": 1, \"abs\": true, \"counts\": [3, -1]}},",
                "    {\"name\": \"fraction\", \"min\": 0, \"max\": 1, \"histogram\": {\"lo\": 0, \"hi\": 1, \"abs\": true, \"counts\": [2.5]}},",
                "    {\"name\": \"allzero\", \"min\": 0, \"max\": 1, \"histogram\": {\"lo\": 0, \"hi\": 1, \"abs\": true, \"counts\": [0, 0]}},",
                "    {\"name\": \"nobins\", \"min\": 0, \"max\": 1, \"histogram\": {\"lo\": 0, \"hi\": 1, \"abs\": true, \"counts\": []}},",
                "    {\"name\": \"typo\", \"min\": 0, \"max\": 1, \"histgram\": {}},",
                "    {\"name\": \"nomax\", \"min\": 0},",
                "    {\"name\": \"ok\", \"min\": 0, \"max\": 1},",
                "    {\"name\": \"ok\", \"min\": 0, \"max\": 2},",
                "    {\"name\": \"absneg\", \"min\": -1, \"max\": 1, \"histogram\": {\"lo\": -1, \"hi\": 1, \"abs\": true, \"counts\": [1]}}",
                "]}");
        List<String> p = problems(text);
        assertEquals(11, p.size(), String.join("\n", p));
        assertStarts("stats.json:2:31: tensor 'nanmin': min is NaN; expected a finite number", p.get(0));
        assertStarts("stats.json:3:41: tensor 'infmax': max is +Infinity; expected a finite number", p.get(1));
        assertStarts("stats.json:4:32: tensor 'swapped': min 5 is greater than max 1 (line 4)", p.get(2));
        assertStarts("stats.json:5:105: tensor 'negcount' histogram: count 1 is negative (-1)", p.get(3));
        assertStarts("stats.json:6:102: tensor 'fraction' histogram: count 0 is 2.5; counts must be non-negative integers",
                p.get(4));
        assertStarts("stats.json:7:100: tensor 'allzero' histogram is empty (all 2 counts are 0)", p.get(5));
        assertStarts("stats.json:8:99: tensor 'nobins' histogram is empty (zero bins)", p.get(6));
        assertStarts("stats.json:9:42: tensor 'typo': unknown field 'histgram'; expected one of name, min, max, histogram"
                + " (did you mean 'histogram'?)", p.get(7));
        assertStarts("stats.json:10:5: tensor 'nomax': missing field 'max'", p.get(8));
        assertStarts("stats.json:12:5: duplicate tensor 'ok' (first defined at stats.json:11:5)", p.get(9));
        assertStarts("stats.json:13:65: tensor 'absneg' histogram: lo -1 is negative but 'abs' is true", p.get(10));
    }

    @Test
    void reportsWrongFormatVersionAndUnknownRootField() {
        List<String> p = problems("{\"format\": \"nvdla-int8-stats\", \"version\": 2, \"tensor\": []}");
        assertEquals(4, p.size(), p.toString());
        assertStarts("stats.json:1:46: statistics: unknown field 'tensor'; expected one of format, version, tensors, $schema"
                + " (did you mean 'tensors'?)", p.get(0));
        assertStarts("stats.json:1:1: statistics: missing field 'tensors'", p.get(1));
        assertStarts("stats.json:1:12: \"format\" must be \"nvdla-int8-statistics\"", p.get(2));
        assertStarts("stats.json:1:43: unsupported \"version\"; this plugin reads version 1", p.get(3));
    }

    @Test
    void reportsSyntaxErrorsAtJacksonsLocationWithOurPath() {
        List<String> p = problems("{\"format\": \"nvdla-int8-statistics\",\n  \"version\": 1,\n  \"tensors\": [}\n");
        assertEquals(1, p.size());
        assertStarts("stats.json:3:15: invalid JSON: Unexpected close marker '}'", p.get(0));
        assertFalse(p.get(0).contains("REDACTED"), p.get(0));
        assertFalse(p.get(0).contains("[Source"), p.get(0));
        assertTrue(p.get(0).contains("(for Array starting at line 3, column 14)"), p.get(0));
    }

    @Test
    void reportsTrailingGarbage() {
        List<String> p = problems("{\"format\": \"nvdla-int8-statistics\", \"version\": 1, \"tensors\": []}\n{}");
        assertEquals(List.of("stats.json:2:1: unexpected content after the end of the JSON document; remove it"), p);
    }
}
