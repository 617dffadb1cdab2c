package io.github.int8cal.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.calib.Int8Scale;
import io.github.int8cal.emit.TrtCacheWriter;
import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrtCacheReaderTest {

    static final Path CACHES = Path.of("../shared/fixtures/trt-caches");
    static final Path LENET = Path.of("../shared/fixtures/caffe-lenet/lenet.calibration.table");

    private static Statistics read(Path p) throws Exception {
        return new StatisticsReader().read(p, null);
    }

    private static Statistics parse(String text) throws ProblemException {
        return new StatisticsReader().read(Path.of("cal.cache"), text, null);
    }

    /**
     * Entry counts, headers and decoded values of the real caches. The expected values were
     * computed independently with Python: {@code struct.unpack('>f', bytes.fromhex(hex))[0]}, and
     * amax as that value times 127 in double.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Hanner123__radioml-transformer__calibration.cache|TRT-101000-EntropyCalibration2|140|input|3e30f86c|0.17282265424728394",
        "Hanner123__radioml-transformer__calibration.cache|TRT-101000-EntropyCalibration2|140|onnx::MatMul_398_output|3b1df5a4|",
        "NVIDIA-AI-IOT__deepstream_tao_apps__cal.bin|TRT-7000-EntropyCalibration2|324|mask_head/mask_fcn_logits/BiasAdd|40227ce7|2.5388734340667725",
        "jkjung-avt__tensorrt_demos__calib_yolov4-tiny-int8-416.bin|TRT-7103-EntropyCalibration2|76|(Unnamed Layer* 77) [PluginV2IOExt]_output_0|3ef222c6|0.47292155027389526",
        "jkjung-avt__tensorrt_demos__calib_yolov4-tiny-int8-416.bin|TRT-7103-EntropyCalibration2|76|000_net|3c010a14|0.007875937968492508",
        "liujuanLT__model_convert__calibration.cache|TRT-7201-EntropyCalibration2|45|(Unnamed Layer* 42) [Fully Connected]_output|3e83567d|0.25651922821998596",
        "liujuanLT__model_convert__calibration.cache|TRT-7201-EntropyCalibration2|45|54|3f252090|0.6450281143188477",
        "nt4sth__Torch-TensorRT-VGG16__calibration.cache|TRT-8400-MinMaxCalibration|67|output_0|3e33f00d|0.17572040855884552",
    })
    void readsRealCaches(String file, String header, int entries, String name, String hex, String decoded)
            throws Exception {
        Statistics s = read(CACHES.resolve(file));
        assertEquals(StatisticsFormat.TRT_CACHE, s.format());
        assertEquals(header, s.trtHeader().line());
        assertEquals(entries, s.tensors().size());
        TensorStatistics t = s.tensor(name);
        assertEquals(hex, Int8Scale.hex(t.importedScale()));
        if (decoded != null) {
            assertEquals(Double.parseDouble(decoded), (double) t.importedScale());
            assertEquals(Double.parseDouble(decoded) * 127, t.max());
            assertEquals(-Double.parseDouble(decoded) * 127, t.min());
        }
        assertNull(t.histogram());
    }

    @Test
    void readsLenetCacheWithUnnamedLayer() throws Exception {
        Statistics s = read(LENET);
        assertEquals("TRT-7202-EntropyCalibration2", s.trtHeader().line());
        assertEquals(List.of("data", "conv1", "pool1", "conv2", "pool2",
                "(Unnamed Layer* 4) [Fully Connected]_output", "ip1", "ip2", "prob"),
                s.tensors().stream().map(TensorStatistics::name).collect(Collectors.toList()));
        // python: struct.unpack('>f', bytes.fromhex('3c008912'))[0] == 0.007845180109143257
        assertEquals(0.007845180109143257, (double) s.tensor("data").importedScale());
        assertEquals(0.9963378738611937, s.tensor("data").max());
        assertEquals("../shared/fixtures/caffe-lenet/lenet.calibration.table:2:1", s.tensor("data").where());
    }

    /** Every fixture cache read and written back is byte-identical (they are all zero-padded already). */
    @Test
    void writesEveryFixtureCacheBackByteIdentically() throws Exception {
        List<Path> files;
        try (var stream = Files.list(CACHES)) {
            files = stream.sorted().collect(Collectors.toList());
        }
        files.add(LENET);
        assertEquals(6, files.size());
        for (Path f : files) {
            String original = Files.readString(f, StandardCharsets.UTF_8);
            Statistics s = read(f);
            String written = new TrtCacheWriter().write(TrtCacheWriter.header(s.trtHeader(), null, null), imported(s));
            assertEquals(original, written, f.toString());
        }
    }

    /** Unpadded hex is the only difference: each short value comes back as 8 digits, nothing else changes. */
    @Test
    void writesUnpaddedHexBackZeroPadded() throws Exception {
        String in = "TRT-8601-EntropyCalibration2\na: 0\nb: 3c010a14\nc: 3c010A14\nd: 1\n";
        Statistics s = parse(in);
        String out = new TrtCacheWriter().write(s.trtHeader(), imported(s));
        assertEquals("TRT-8601-EntropyCalibration2\na: 00000000\nb: 3c010a14\nc: 3c010a14\nd: 00000001\n", out);
        assertEquals(Float.MIN_VALUE, s.tensor("d").importedScale());
        // the zero scale is kept with a warning naming the tensor
        assertEquals(1, s.warnings().size());
        assertEquals("cal.cache:2:4", s.warnings().get(0).where());
        assertTrue(s.warnings().get(0).message().startsWith("tensor 'a': scale 0x0 is 0"), s.warnings().get(0).message());
    }

    /** docs/calibration.md#test-vectors decode vectors (values from the public caches cited there). */
    @ParameterizedTest
    @CsvSource({
        "3c008912, 0.0078451801", "3c010a14, 0.0078759380", "3c88edfc, 0.0167150423", "40d0f64f, 6.5300670",
        "3f9839e4, 1.1892667", "3b66eddc, 0.0035236990", "4000890a, 2.0083642"})
    void decodesDocumentedVectors(String hex, double expected) throws Exception {
        float scale = parse("TRT-8601-EntropyCalibration2\nt: " + hex + "\n").tensor("t").importedScale();
        assertEquals(expected, scale, Math.ulp((float) expected));
        assertEquals(hex, Int8Scale.hex(scale));
    }

    @Test
    void readsLegacyHeaderAndSplitsAtLastColon() throws Exception {
        Statistics s = parse("1\nx:0: 3c010a14\nonnx::Div_306_output: 3f800000\n(Unnamed Layer* 0) [Convolution]_output: 3c010204\n");
        assertEquals("1", s.trtHeader().line());
        assertTrue(s.trtHeader().isLegacy());
        assertEquals(List.of("x:0", "onnx::Div_306_output", "(Unnamed Layer* 0) [Convolution]_output"),
                s.tensors().stream().map(TensorStatistics::name).collect(Collectors.toList()));
        assertEquals(1.0f, s.tensor("onnx::Div_306_output").importedScale());
        List<String> warned = s.warnings().stream().map(Problem::where).collect(Collectors.toList());
        assertEquals(List.of("cal.cache:2:1", "cal.cache:3:1"), warned);
        assertTrue(s.warnings().get(0).message().contains("contains ':'"));
    }

    @Test
    void toleratesCrlfAndBlankLines() throws Exception {
        Statistics s = parse("TRT-100300-EntropyCalibration2\r\na: 3c010a14\r\n\r\nb: 3c010204\r\n");
        assertEquals("TRT-100300-EntropyCalibration2", s.trtHeader().line());
        assertEquals(2, s.tensors().size());
    }

    @Test
    void rejectsInfiniteNanAndNegativeScalesNamingEachTensorAtOnce() {
        ProblemException e = assertThrows(ProblemException.class, () -> parse(
                "TRT-8601-EntropyCalibration2\ninf: 7f800000\nnan: 7fc00000\nneg: bf800000\nok: 3c010a14\n"
                        + "minus zero: 80000000\n"));
        List<String> rendered = e.problems().stream().map(Problem::toString).collect(Collectors.toList());
        assertEquals(4, rendered.size(), rendered.toString());
        assertTrue(rendered.get(0).startsWith("cal.cache:2:6: tensor 'inf': scale 0x7f800000 is +Infinity"), rendered.get(0));
        assertTrue(rendered.get(1).startsWith("cal.cache:3:6: tensor 'nan': scale 0x7fc00000 is NaN"), rendered.get(1));
        assertTrue(rendered.get(2).startsWith("cal.cache:4:6: tensor 'neg': scale 0xbf800000 -1.0 is negative"), rendered.get(2));
        assertTrue(rendered.get(3).startsWith("cal.cache:6:13: tensor 'minus zero': scale 0x80000000 -0.0 is negative"),
                rendered.get(3));
        assertTrue(e.getMessage().startsWith("4 problems:\n  cal.cache:2:6: "), e.getMessage());
    }

    @Test
    void reportsMalformedLinesDuplicatesAndBadHeaderTogether() {
        ProblemException e = assertThrows(ProblemException.class, () -> parse(
                "TRT-86x1-EntropyCalibration2\nno colon here\na: 3c010a14\na: 3c010a14\nb: 123456789\nc: xyz\n: 3c010a14\n"));
        List<String> rendered = e.problems().stream().map(Problem::toString).collect(Collectors.toList());
        assertEquals(6, rendered.size(), rendered.toString());
        assertTrue(rendered.get(0).startsWith("cal.cache:1:1: expected a TensorRT cache header"), rendered.get(0));
        assertTrue(rendered.get(1).startsWith("cal.cache:2:1: expected '<tensor name>: <hex scale>', found 'no colon here'"),
                rendered.get(1));
        assertTrue(rendered.get(2).startsWith("cal.cache:4:1: duplicate tensor 'a' (first defined at cal.cache:3:1)"),
                rendered.get(2));
        assertTrue(rendered.get(3).startsWith("cal.cache:5:4: tensor 'b': expected 1 to 8 hex digits"), rendered.get(3));
        assertTrue(rendered.get(4).startsWith("cal.cache:6:4: tensor 'c': expected 1 to 8 hex digits"), rendered.get(4));
        assertTrue(rendered.get(5).startsWith("cal.cache:7:1: empty tensor name"), rendered.get(5));
    }

    @Test
    void warnsAboutUnusualHeaderVersionAndAlgorithm() throws Exception {
        Statistics s = parse("TRT-861-Entropy\na: 3c010a14\n");
        assertEquals(2, s.warnings().size());
        assertEquals("cal.cache:1:5", s.warnings().get(0).where());
        assertEquals("cal.cache:1:9", s.warnings().get(1).where());
    }

    @Test
    void rejectsUndetectableContent(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.txt");
        Files.writeString(f, "hello: 3c010a14\n");
        ProblemException e = assertThrows(ProblemException.class, () -> read(f));
        assertTrue(e.getMessage().startsWith(f + ":1:1: cannot tell the statistics format"), e.getMessage());
        // forcing the format reads it as a cache and then reports the header
        ProblemException forced = assertThrows(ProblemException.class,
                () -> new StatisticsReader().read(f, StatisticsFormat.TRT_CACHE));
        assertTrue(forced.getMessage().startsWith(f + ":1:1: expected a TensorRT cache header"), forced.getMessage());
    }

    @Test
    void reportsMissingFile() {
        ProblemException e = assertThrows(ProblemException.class, () -> read(Path.of("target/does-not-exist.cache")));
        assertEquals("target/does-not-exist.cache: statistics file not found; check the 'statistics' parameter",
                e.getMessage());
    }

    static List<CalibratedTensor> imported(Statistics s) {
        return s.tensors().stream()
                .map(t -> new CalibratedTensor(t.name(), t.min(), t.max(), t.max(), t.importedScale(), "imported", null))
                .collect(Collectors.toList());
    }
}
