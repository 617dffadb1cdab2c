package io.github.int8cal.model.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.model.Graph;
import io.github.int8cal.model.Layer;
import io.github.int8cal.model.Op;
import io.github.int8cal.model.Shape;
import io.github.int8cal.model.Tensor;
import io.github.int8cal.model.Weights;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LeNet's trained blobs. Expected values were decoded independently of this code base: a 40-line
 * Python script walking the protobuf wire format of lenet.caffemodel by hand (varints, field 100 =
 * layer, 7 = blobs, BlobProto 7 = shape, 5 = packed little-endian floats), run once and copied here
 * with repr() precision. conv2's absmax and bias[0] also equal
 * docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler ("absmax(W) = 0.15580775", "bias[0] 0.026692284").
 */
class LenetWeightsTest {

    static final Path DIR = Path.of("../shared/fixtures/caffe-lenet");

    static Graph lenet() throws Exception {
        return new CaffeReader().read(DIR.resolve("lenet.prototxt"), DIR.resolve("lenet.caffemodel"));
    }

    @Test
    void layersAndActivationShapesFollowThePrototxt() throws Exception {
        Graph g = lenet();
        assertTrue(g.hasWeights());
        assertEquals(List.of("data"), g.inputs());
        assertEquals(List.of("conv1", "pool1", "conv2", "pool2", "ip1", "relu1", "ip2", "prob"),
                g.layers().stream().map(Layer::name).toList());
        assertEquals(List.of(Op.CONVOLUTION, Op.POOLING, Op.CONVOLUTION, Op.POOLING, Op.INNER_PRODUCT,
                Op.RELU, Op.INNER_PRODUCT, Op.SOFTMAX), g.layers().stream().map(Layer::op).toList());
        // hand-computed: 28-5+1 = 24, ceil((24-2)/2)+1 = 12, 12-5+1 = 8, 4; 50*4*4 = 800 inputs to ip1
        assertEquals(Shape.of(1, 1, 28, 28), g.tensor("data").shape());
        assertEquals(Shape.of(1, 20, 24, 24), g.tensor("conv1").shape());
        assertEquals(Shape.of(1, 20, 12, 12), g.tensor("pool1").shape());
        assertEquals(Shape.of(1, 50, 8, 8), g.tensor("conv2").shape());
        assertEquals(Shape.of(1, 50, 4, 4), g.tensor("pool2").shape());
        assertEquals(Shape.of(1, 500), g.tensor("ip1@ip1").shape());
        assertEquals(Shape.of(1, 500), g.tensor("ip1").shape());
        assertEquals(Shape.of(1, 10), g.tensor("prob").shape());
        assertEquals(List.of("prob"), g.outputs());
    }

    @Test
    void weightShapesAndValuesMatchTheIndependentDecode() throws Exception {
        Graph g = lenet();
        Tensor w1 = g.tensor(g.layer("conv1").orElseThrow().weights().get("weight"));
        assertEquals(Shape.of(20, 1, 5, 5), w1.shape());
        assertEquals(-0.26479294896125793f, w1.weights().get(0));
        assertEquals(-0.16777075827121735f, w1.weights().get(1));
        assertEquals(-0.2767787575721741f, w1.weights().get(499));
        assertEquals(0.43853503465652466f, w1.weights().absMax());

        Layer conv2 = g.layer("conv2").orElseThrow();
        Weights w2 = g.tensor(conv2.weights().get("weight")).weights();
        Weights b2 = g.tensor(conv2.weights().get("bias")).weights();
        assertEquals(Shape.of(50, 20, 5, 5), g.tensor(conv2.weights().get("weight")).shape());
        assertEquals(25000, w2.length());
        assertEquals(0.1558077484369278f, w2.absMax());
        assertEquals(0.026692284271121025f, b2.get(0));
        assertEquals(-0.05342068895697594f, b2.get(49));

        Layer ip1 = g.layer("ip1").orElseThrow();
        assertEquals(Shape.of(500, 800), g.tensor(ip1.weights().get("weight")).shape());
        assertEquals(-0.027035372331738472f, g.tensor(ip1.weights().get("weight")).weights().get(1));
        assertEquals(Shape.of(500), g.tensor(ip1.weights().get("bias")).shape());

        Layer ip2 = g.layer("ip2").orElseThrow();
        Weights b = g.tensor(ip2.weights().get("bias")).weights();
        assertEquals(Shape.of(10), g.tensor(ip2.weights().get("bias")).shape());
        assertEquals(0.10257735848426819f, b.get(1));
        assertEquals(0.20022279024124146f, g.tensor(ip2.weights().get("weight")).weights().absMax());
    }

    @Test
    void withoutTheCaffemodelConstantsHaveShapesButNoValues() throws Exception {
        Graph g = new CaffeReader().read(DIR.resolve("lenet.prototxt"), null);
        Tensor w = g.tensor(g.layer("conv2").orElseThrow().weights().get("weight"));
        assertEquals(Shape.of(50, 20, 5, 5), w.shape());
        assertNull(w.weights());
        assertEquals(false, g.hasWeights());
    }
}
