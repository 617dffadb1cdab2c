package io.github.int8cal.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.stats.Statistics;
import io.github.int8cal.stats.StatisticsReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CalibratorTest {

    private static final CalibrationChoice ENTROPY = CalibrationChoice.of(CalibrationMethod.ENTROPY, 99.99);

    private static Statistics stats(String text) throws ProblemException {
        return new StatisticsReader().read(Path.of("s.json"), text, null);
    }

    private static String hLinJson(String name) {
        double[] c = Histograms.hLin();
        StringBuilder sb = new StringBuilder("{\"name\":\"" + name + "\",\"min\":-0.25,\"max\":1.0,\"histogram\":"
                + "{\"lo\":0,\"hi\":1.0,\"abs\":true,\"counts\":[");
        for (int i = 0; i < c.length; i++) {
            sb.append(i == 0 ? "" : ",").append((long) c[i]);
        }
        return sb.append("]}}").toString();
    }

    private static String doc(String... tensors) {
        return "{\"format\":\"nvdla-int8-statistics\",\"version\":1,\"tensors\":[" + String.join(",", tensors) + "]}";
    }

    @Test
    void entropyFromJsonHistogramUsesTheTrtGrid() throws Exception {
        CalibrationTable t = new Calibrator().calibrate(stats(doc(hLinJson("a"))), ENTROPY, Map.of(), false);
        CalibratedTensor a = t.tensors().get(0);
        assertEquals(0.499267578125, a.amax());
        assertEquals(Int8Scale.fromAmax(0.499267578125), a.scale());
        assertEquals("entropy", a.method());
        // python: mass of H_lin above 1022.5 bins = c[1022]*0.5 + c[1023] + c[2047] = 1 + 1 + 1 = 3 of 524801
        assertEquals(3.0 / 524801, a.histogramClippedFraction(), 1e-18);
    }

    @Test
    void signedHistogramOverTwiceTheBinsGivesTheSameEntropyAnswer() throws Exception {
        // 4096 signed bins over [-1, 1] holding H_lin mirrored: the fold recovers H_lin exactly (×2)
        double[] c = Histograms.hLin();
        StringBuilder sb = new StringBuilder("{\"name\":\"s\",\"min\":-1,\"max\":1,\"histogram\":{\"lo\":-1,\"hi\":1,"
                + "\"abs\":false,\"counts\":[");
        for (int i = 0; i < 4096; i++) {
            long v = (long) (i < 2048 ? c[2047 - i] : c[i - 2048]);
            sb.append(i == 0 ? "" : ",").append(v);
        }
        sb.append("]}}");
        CalibrationTable t = new Calibrator().calibrate(stats(doc(sb.toString())), ENTROPY, Map.of(), false);
        assertEquals(0.499267578125, t.tensors().get(0).amax());
    }

    @Test
    void importedScalesKeepTheirBitsUnlessOverridden() throws Exception {
        Statistics s = new StatisticsReader().read(Path.of("c.cache"),
                "TRT-7103-EntropyCalibration2\na: 3c010a14\nb: 3d1c8e6f\n", null);
        CalibrationTable t = new Calibrator().calibrate(s, ENTROPY,
                Map.of("b", CalibrationChoice.fixed(1.0)), false);
        assertEquals("3c010a14", Int8Scale.hex(t.tensors().get(0).scale()));
        assertEquals("imported", t.tensors().get(0).method());
        assertNull(t.tensors().get(0).histogramClippedFraction());
        assertEquals("3c010204", Int8Scale.hex(t.tensors().get(1).scale())); // 1/127
        assertEquals("override", t.tensors().get(1).method());
        assertEquals("TRT-7103-EntropyCalibration2", t.importedHeader().line());
    }

    @Test
    void missingHistogramIsAnErrorNamingEveryTensor() throws Exception {
        Statistics s = stats(doc("{\"name\":\"x\",\"min\":0,\"max\":1}", "{\"name\":\"y\",\"min\":0,\"max\":2}"));
        ProblemException e = assertThrows(ProblemException.class,
                () -> new Calibrator().calibrate(s, ENTROPY, Map.of("nope", ENTROPY), false));
        List<String> p = e.problems().stream().map(Problem::toString).collect(Collectors.toList());
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("override 'nope': names a tensor that is not in s.json"), p.get(0));
        assertTrue(p.get(1).startsWith("s.json:1:58: tensor 'x': method entropy needs a histogram"), p.get(1));
        assertTrue(p.get(2).startsWith("s.json:1:87: tensor 'y': method entropy needs a histogram"), p.get(2));
    }

    @Test
    void maxFallbackWarnsAndUsesAbsMax() throws Exception {
        Statistics s = stats(doc("{\"name\":\"x\",\"min\":-3,\"max\":1}"));
        CalibrationTable t = new Calibrator().calibrate(s, ENTROPY, Map.of(), true);
        assertEquals(3.0, t.tensors().get(0).amax());
        assertEquals("max-fallback", t.tensors().get(0).method());
        assertEquals(1, t.warnings().size());
        assertTrue(t.warnings().get(0).message().contains("allowMaxFallback"));
    }

    @Test
    void overrideSuggestsTheClosestName() throws Exception {
        Statistics s = stats(doc("{\"name\":\"conv1\",\"min\":0,\"max\":1}"));
        ProblemException e = assertThrows(ProblemException.class, () -> new Calibrator().calibrate(s,
                CalibrationChoice.of(CalibrationMethod.MAX, 99.99), Map.of("conv_1", CalibrationChoice.fixed(2)), false));
        assertTrue(e.getMessage().contains("(did you mean 'conv1'?)"), e.getMessage());
    }

    @Test
    void constantZeroTensorGetsScaleZeroWithWarning() throws Exception {
        Statistics s = stats(doc("{\"name\":\"z\",\"min\":0,\"max\":0,\"histogram\":{\"lo\":0,\"hi\":1,\"abs\":true,\"counts\":[4]}}"));
        CalibrationTable t = new Calibrator().calibrate(s, ENTROPY, Map.of(), false);
        assertEquals(0f, t.tensors().get(0).scale());
        assertTrue(t.warnings().get(0).message().contains("nvdla_compiler rejects scale 0"));
    }
    /** 300 tensors; every third has no histogram, so it raises a warning (fallback) or a problem. */
    private static Statistics manyTensors() {
        List<io.github.int8cal.stats.TensorStatistics> tensors = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long[] c = new long[64];
            c[i % 64] = 10;
            c[63] += 1;
            io.github.int8cal.stats.Histogram h = i % 3 == 0 ? null
                    : new io.github.int8cal.stats.Histogram(0, 1.0 + i, true, c);
            tensors.add(new io.github.int8cal.stats.TensorStatistics("t" + i, 0, 1.0 + i, h, null, "s.json:" + (i + 1)));
        }
        return new Statistics(Path.of("s.json"), io.github.int8cal.stats.StatisticsFormat.JSON, null, tensors, List.of());
    }

    @Test
    void manyTensorsKeepInputOrderInRowsAndWarnings() throws Exception {
        CalibrationTable t = new Calibrator().calibrate(manyTensors(), CalibrationChoice.of(CalibrationMethod.MSE, 99.99),
                Map.of(), true);
        assertEquals(300, t.tensors().size());
        for (int i = 0; i < 300; i++) {
            assertEquals("t" + i, t.tensors().get(i).name());
            assertEquals(i % 3 == 0 ? "max-fallback" : "mse", t.tensors().get(i).method());
        }
        assertEquals(100, t.warnings().size());
        for (int k = 0; k < 100; k++) {
            assertEquals("s.json:" + (3 * k + 1), t.warnings().get(k).where());
        }
    }

    @Test
    void manyTensorsReportProblemsInInputOrder() {
        ProblemException e = assertThrows(ProblemException.class, () -> new Calibrator().calibrate(manyTensors(),
                CalibrationChoice.of(CalibrationMethod.ENTROPY, 99.99), Map.of(), false));
        assertEquals(100, e.problems().size());
        for (int k = 0; k < 100; k++) {
            assertEquals("s.json:" + (3 * k + 1), e.problems().get(k).where());
            assertTrue(e.problems().get(k).message().startsWith("tensor 't" + 3 * k + "': method entropy needs"));
        }
    }

    @Test
    void parallelCalibrationEqualsOneTensorAtATime() throws Exception {
        // Each tensor calibrated alone (no parallelism possible) must give the same row as in the batch.
        Statistics all = manyTensors();
        CalibrationChoice mse = CalibrationChoice.of(CalibrationMethod.MSE, 99.99);
        CalibrationTable batch = new Calibrator().calibrate(all, mse, Map.of(), true);
        for (int i = 0; i < 300; i += 7) {
            Statistics one = new Statistics(all.source(), all.format(), null, List.of(all.tensors().get(i)), List.of());
            assertEquals(new Calibrator().calibrate(one, mse, Map.of(), true).tensors().get(0), batch.tensors().get(i));
        }
    }
}
