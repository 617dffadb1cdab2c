package io.github.int8cal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.model.caffe.CaffeReader;
import io.github.int8cal.model.onnx.OnnxReader;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files end in one ProblemException naming the file, never a stack trace or OutOfMemoryError. */
class MalformedInputTest {

    static final Path LENET = Path.of("../shared/fixtures/caffe-lenet");

    @TempDir
    Path dir;

    private static String failOnnx(Path p) {
        ProblemException e = assertThrows(ProblemException.class, () -> new OnnxReader().read(p));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).where().equals(p.toString()), e.getMessage());
        return e.problems().get(0).message();
    }

    private static String failCaffe(Path prototxt, Path caffemodel) {
        ProblemException e = assertThrows(ProblemException.class, () -> new CaffeReader().read(prototxt, caffemodel));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void truncatedOnnxFile() throws Exception {
        byte[] whole = new io.github.int8cal.model.onnx.OnnxModelsAccess().reluModel();
        Path p = dir.resolve("cut.onnx");
        Files.write(p, Arrays.copyOf(whole, whole.length - 7));
        String m = failOnnx(p);
        assertTrue(m.startsWith("not a readable ONNX model") && m.contains("truncated"), m);
    }

    @Test
    void jsonFileGivenAsOnnx() throws Exception {
        Path p = dir.resolve("model.onnx");
        Files.writeString(p, "{\"format\": \"nvdla-int8-statistics\"}\n");
        assertEquals("is JSON, not a binary ONNX model (.onnx protobuf)", failOnnx(p));
    }

    @Test
    void randomBytesGivenAsOnnx() throws Exception {
        Path p = dir.resolve("noise.onnx");
        byte[] noise = new byte[4096];
        new java.util.Random(42).nextBytes(noise);
        Files.write(p, noise);
        failOnnx(p);
    }

    /** ModelProto field 7 (graph, wire type 2) claiming 2^31-1 bytes in a 16-byte file. */
    @Test
    void lengthPrefixClaimingTwoGigabytesIsRejectedWithoutAllocating() throws Exception {
        Path p = dir.resolve("huge-claim.onnx");
        Files.write(p, new byte[] {0x08, 0x07, 0x3A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07,
            0x0A, 0x02, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06});
        String m = failOnnx(p);
        assertTrue(m.contains("truncated") || m.contains("negative size") || m.contains("ended unexpectedly"), m);
    }

    /** A float initializer whose dims claim 2^40 elements with 8 bytes of raw_data. */
    @Test
    void tensorDimsClaimingHugeSizeAreRejectedBeforeAllocation() throws Exception {
        var t = io.github.int8cal.model.onnx.proto.OnnxProto.TensorProto.newBuilder().setName("w").setDataType(1)
                .addDims(1L << 20).addDims(1L << 20).addDims(1).addDims(1)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[8])).build();
        Path p = new io.github.int8cal.model.onnx.OnnxModelsAccess().convWith(t, dir);
        ProblemException e = assertThrows(ProblemException.class, () -> new OnnxReader().read(p));
        assertTrue(e.getMessage().contains("more than a file can hold") || e.getMessage().contains("needs"),
                e.getMessage());
    }

    @Test
    void missingModelFile() {
        assertEquals("ONNX model not found; check the path", failOnnx(dir.resolve("nope.onnx")));
    }

    @Test
    void missingCaffeWeightsFile() {
        String m = failCaffe(LENET.resolve("lenet.prototxt"), dir.resolve("missing.caffemodel"));
        assertTrue(m.endsWith("missing.caffemodel: Caffe weights file (.caffemodel) not found; check the path"), m);
    }

    @Test
    void truncatedCaffemodel() throws Exception {
        byte[] whole = Files.readAllBytes(LENET.resolve("lenet.caffemodel"));
        Path p = dir.resolve("cut.caffemodel");
        Files.write(p, Arrays.copyOf(whole, whole.length / 2));
        String m = failCaffe(LENET.resolve("lenet.prototxt"), p);
        assertTrue(m.contains("not a readable binary .caffemodel") && m.contains("truncated"), m);
    }

    /** NetParameter field 100 (layer) claiming 2^31-1 bytes. */
    @Test
    void caffemodelLengthPrefixClaimingTwoGigabytes() throws Exception {
        Path p = dir.resolve("huge.caffemodel");
        Files.write(p, new byte[] {(byte) 0xA2, 0x06, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x0A, 0x01, 0x61});
        String m = failCaffe(LENET.resolve("lenet.prototxt"), p);
        assertTrue(m.contains("not a readable binary .caffemodel"), m);
    }

    @Test
    void prototxtGivenAsCaffemodel() {
        String m = failCaffe(LENET.resolve("lenet.prototxt"), LENET.resolve("lenet.prototxt"));
        assertTrue(m.contains("not a readable binary .caffemodel") || m.contains("contains no layers"), m);
    }

    @Test
    void prototxtSyntaxErrorReportsLineAndColumn() throws Exception {
        Path p = dir.resolve("bad.prototxt");
        Files.writeString(p, "name: \"x\"\nlayer {\n  name: \"conv1\"\n  type: \"Convolution\"\n  top \"conv1\"\n}\n");
        ProblemException e = assertThrows(ProblemException.class, () -> new CaffeReader().read(p, null));
        assertEquals(1, e.problems().size());
        // line 5 is `  top "conv1"`: the ':' is missing before the string at column 7
        assertEquals(p + ":5:7", e.problems().get(0).where());
        assertTrue(e.problems().get(0).message().startsWith("Caffe prototxt syntax error: "), e.getMessage());
    }

    @Test
    void binaryFileGivenAsPrototxt() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> new CaffeReader().read(LENET.resolve("lenet.caffemodel"), null));
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).where().matches(".*lenet\\.caffemodel:\\d+:\\d+"), e.getMessage());
    }

    @Test
    void caffemodelOfAnotherNetNamesTheMissingLayers() throws Exception {
        Path p = dir.resolve("other.prototxt");
        Files.writeString(p, "input: \"data\" input_shape { dim: 1 dim: 1 dim: 28 dim: 28 }\n"
                + "layer { name: \"convX\" type: \"Convolution\" bottom: \"data\" top: \"c\" "
                + "convolution_param { num_output: 20 kernel_size: 5 } }\n");
        ProblemException e = assertThrows(ProblemException.class,
                () -> new CaffeReader().read(p, LENET.resolve("lenet.caffemodel")));
        assertTrue(e.getMessage().contains("layer 'convX' (Convolution): no layer named 'convX' in the caffemodel"),
                e.getMessage());
    }

    @Test
    void weightCountMismatchIsReported() throws Exception {
        Path p = dir.resolve("wrong.prototxt");
        Files.writeString(p, "input: \"data\" input_shape { dim: 1 dim: 1 dim: 28 dim: 28 }\n"
                + "layer { name: \"conv1\" type: \"Convolution\" bottom: \"data\" top: \"conv1\" "
                + "convolution_param { num_output: 16 kernel_size: 5 } }\n");
        ProblemException e = assertThrows(ProblemException.class,
                () -> new CaffeReader().read(p, LENET.resolve("lenet.caffemodel")));
        assertTrue(e.getMessage().contains("weight blob has 500 values; the prototxt implies 400"), e.getMessage());
    }
}
