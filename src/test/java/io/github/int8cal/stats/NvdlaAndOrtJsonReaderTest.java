package io.github.int8cal.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.calib.Int8Scale;
import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NvdlaAndOrtJsonReaderTest {

    private static Statistics parse(String text) throws ProblemException {
        return new StatisticsReader().read(Path.of("t.json"), text, null);
    }

    private static List<String> problems(String text) {
        ProblemException e = assertThrows(ProblemException.class, () -> parse(text));
        return e.problems().stream().map(Problem::toString).collect(Collectors.toList());
    }

    /** The LeNet table written by nvdla's converter: the same float32 bits as the TensorRT cache entries. */
    @Test
    void readsLenetNvdlaTableAsFixedFloat32Scales() throws Exception {
        Statistics s = new StatisticsReader().read(Path.of("../shared/fixtures/caffe-lenet/lenet.int8.json"), null);
        assertEquals(StatisticsFormat.NVDLA_JSON, s.format());
        assertEquals(9, s.tensors().size());
        assertEquals("relu1", s.tensors().get(6).name());
        // lenet.calibration.table: data 3c008912, conv2 3d895e44, prob 3c083ffd
        assertEquals("3c008912", Int8Scale.hex(s.tensor("data").importedScale()));
        assertEquals("3d895e44", Int8Scale.hex(s.tensor("conv2").importedScale()));
        assertEquals("3c083ffd", Int8Scale.hex(s.tensor("prob").importedScale()));
        assertEquals("../shared/fixtures/caffe-lenet/lenet.int8.json:2:5", s.tensor("data").where());
    }

    @Test
    void derivesScaleFromMinMaxInFloat32LikeTheCompiler() throws Exception {
        Statistics s = parse("{\"a\": {\"min\": -3.2, \"max\": 5.1}}");
        // float32: max(|-3.2f|, |5.1f|) / 127f
        assertEquals(5.1f / 127f, s.tensor("a").importedScale());
        assertEquals(StatisticsFormat.NVDLA_JSON, s.format());
    }

    @Test
    void reportsNvdlaProblemsWithLocationsAndKeepsZeroWithWarning() {
        String text = String.join("\n",
                "{",
                "  \"a\": {\"scale\": -1},",
                "  \"b\": {\"sacle\": 1},",
                "  \"c\": {\"scale\": NaN},",
                "  \"d\": 5,",
                "  \"a\": {\"scale\": 1}",
                "}");
        List<String> p = problems(text);
        assertEquals(5, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("t.json:2:18: tensor 'a': scale -1 -1.0 is negative"), p.get(0));
        assertTrue(p.get(1).startsWith("t.json:3:9: tensor 'b': unknown field 'sacle'; expected one of scale, min, max,"
                + " offset (did you mean 'scale'?)"), p.get(1));
        assertTrue(p.get(2).startsWith("t.json:4:18: tensor 'c': scale is NaN"), p.get(2));
        assertTrue(p.get(3).startsWith("t.json:5:8: tensor 'd': expected an object"), p.get(3));
        assertTrue(p.get(4).startsWith("t.json:6:3: duplicate tensor 'a' (first defined at t.json:2:3)"), p.get(4));
    }

    @Test
    void warnsAboutZeroScaleAndIgnoredOffset() throws Exception {
        Statistics s = parse("{\"z\": {\"scale\": 0, \"offset\": 3}}");
        assertEquals(0f, s.tensor("z").importedScale());
        assertEquals(2, s.warnings().size());
        assertEquals("t.json:1:30", s.warnings().get(0).where());
        assertTrue(s.warnings().get(0).message().contains("offset 3 is ignored"));
        assertEquals("t.json:1:17", s.warnings().get(1).where());
        assertTrue(s.warnings().get(1).message().contains("nvdla_compiler rejects scale 0"));
    }

    @Test
    void readsOrtMinMax() throws Exception {
        Statistics s = parse("{\"input\": [-1.5, 2.25], \"relu:0\": [0.0, 6.0]}");
        assertEquals(StatisticsFormat.ORT_JSON, s.format());
        assertEquals(-1.5, s.tensor("input").min());
        assertEquals(2.25, s.tensor("input").max());
        assertNull(s.tensor("input").importedScale());
        assertEquals(1, s.warnings().size());
        assertTrue(s.warnings().get(0).toString().startsWith("t.json:1:25: tensor 'relu:0' contains ':'"));
    }

    @Test
    void reportsOrtProblems() {
        List<String> p = problems("{\"a\": [1, 0], \"b\": [1], \"c\": [0, Infinity]}");
        assertEquals(3, p.size(), p.toString());
        assertEquals("t.json:1:8: tensor 'a': min 1 is greater than max 0; expected [min, max]", p.get(0));
        assertEquals("t.json:1:20: tensor 'b': expected [min, max] (two numbers)", p.get(1));
        assertTrue(p.get(2).startsWith("t.json:1:34: tensor 'c': max is +Infinity"), p.get(2));
    }

    @Test
    void forcedFormatOverridesDetection() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> new StatisticsReader().read(Path.of("t.json"), "{\"a\": [0, 1]}", StatisticsFormat.NVDLA_JSON));
        assertTrue(e.getMessage().startsWith("t.json:1:7: tensor 'a': expected an object"), e.getMessage());
    }
}
