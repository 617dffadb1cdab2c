package io.github.int8cal.model.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.model.Graph;
import io.github.int8cal.model.Layer;
import io.github.int8cal.model.NvdlaTableKeys;
import io.github.int8cal.model.Op;
import io.github.int8cal.model.Shape;
import io.github.int8cal.model.TableKey;
import io.github.int8cal.model.TensorRtNames;
import io.github.int8cal.model.TrtName;
import io.github.int8cal.model.Weights;
import io.github.int8cal.model.caffe.proto.CaffeProto.BlobProto;
import io.github.int8cal.model.caffe.proto.CaffeProto.BlobShape;
import io.github.int8cal.model.caffe.proto.CaffeProto.LayerParameter;
import io.github.int8cal.model.caffe.proto.CaffeProto.NetParameter;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaffeReaderTest {

    @TempDir
    Path dir;

    static final String EVERY_OP = """
            name: "ops"
            layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 2 dim: 7 dim: 7 } } }
            layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
                    param { lr_mult: 1 } weight_filler_ignored_by_us: 3
                    convolution_param { num_output: 4 kernel_size: 3 pad: 1 stride: 2 group: 2
                                        weight_filler { type: "xavier" } } }
            layer { name: "bn" type: "BatchNorm" bottom: "conv" top: "conv" batch_norm_param { eps: 0.001 } }
            layer { name: "sc" type: "Scale" bottom: "conv" top: "conv" scale_param { bias_term: true } }
            layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
            layer { name: "pool" type: "Pooling" bottom: "conv" top: "pool"
                    pooling_param { pool: AVE kernel_size: 3 stride: 2 pad: 1 } }
            layer { name: "prelu" type: "PReLU" bottom: "pool" top: "pool" }
            layer { name: "bias" type: "Bias" bottom: "pool" top: "biased" }
            layer { name: "clip" type: "Clip" bottom: "biased" top: "biased" clip_param { min: 0 max: 6 } }
            layer { name: "gpool" type: "Pooling" bottom: "biased" top: "gp" pooling_param { pool: MAX global_pooling: true } }
            layer { name: "cat" type: "Concat" bottom: "gp" bottom: "gp" top: "cat" }
            layer { name: "sum" type: "Eltwise" bottom: "cat" bottom: "cat" top: "sum"
                    eltwise_param { operation: SUM coeff: 1 coeff: -1 } }
            layer { name: "flat" type: "Flatten" bottom: "sum" top: "flat" }
            layer { name: "ip" type: "InnerProduct" bottom: "flat" top: "ip" inner_product_param { num_output: 3 transpose: true } }
            layer { name: "drop" type: "Dropout" bottom: "ip" top: "ip" dropout_param { dropout_ratio: 0.5 } }
            layer { name: "rs" type: "Reshape" bottom: "ip" top: "rs" reshape_param { shape { dim: 0 dim: -1 dim: 1 } } }
            layer { name: "prob" type: "Softmax" bottom: "rs" top: "prob" }
            layer { name: "train_only" type: "Accuracy" bottom: "prob" top: "acc" include { phase: TRAIN } }
            """;

    static BlobProto blob(long[] shape, float... values) {
        BlobProto.Builder b = BlobProto.newBuilder().setShape(BlobShape.newBuilder()
                .addAllDim(java.util.Arrays.stream(shape).boxed().toList()));
        for (float v : values) {
            b.addData(v);
        }
        return b.build();
    }

    static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.5f * i;
        }
        return v;
    }

    /** Writes a caffemodel for EVERY_OP; BatchNorm statistics carry a moving-average factor. */
    Path everyOpWeights(float bnFactor) throws Exception {
        NetParameter net = NetParameter.newBuilder()
                .addLayer(LayerParameter.newBuilder().setName("conv")
                        .addBlobs(blob(new long[] {4, 1, 3, 3}, ramp(36))).addBlobs(blob(new long[] {4}, 1, 2, 3, 4)))
                .addLayer(LayerParameter.newBuilder().setName("bn")
                        .addBlobs(blob(new long[] {4}, 2f, 4f, -6f, 999.98f))
                        .addBlobs(blob(new long[] {4}, 1f, 3f, 5f, 7f))
                        .addBlobs(blob(new long[] {1}, bnFactor)))
                .addLayer(LayerParameter.newBuilder().setName("sc")
                        .addBlobs(blob(new long[] {4}, 1, 1, 2, 2)).addBlobs(blob(new long[] {4}, 0, 0, 1, 1)))
                .addLayer(LayerParameter.newBuilder().setName("prelu").addBlobs(blob(new long[] {4}, 0.25f, 0.25f, 0.1f, 0.1f)))
                .addLayer(LayerParameter.newBuilder().setName("bias").addBlobs(blob(new long[] {4}, -1, -2, -3, -4)))
                // stored transposed ([K=8, N=3]) because of inner_product_param { transpose: true }
                .addLayer(LayerParameter.newBuilder().setName("ip")
                        .addBlobs(blob(new long[] {8, 3}, ramp(24))).addBlobs(blob(new long[] {3}, 7, 8, 9)))
                .build();
        Path p = dir.resolve("ops.caffemodel");
        Files.write(p, net.toByteArray());
        return p;
    }

    Path everyOpPrototxt() throws Exception {
        Path p = dir.resolve("ops.prototxt");
        Files.writeString(p, EVERY_OP);
        return p;
    }

    @Test
    void readsEverySupportedLayerTypeWithShapes() throws Exception {
        Graph g = new CaffeReader().read(everyOpPrototxt(), everyOpWeights(0.5f));
        assertEquals(List.of(Op.CONVOLUTION, Op.BATCH_NORM, Op.SCALE, Op.RELU, Op.POOLING, Op.PRELU, Op.BIAS, Op.CLIP,
                Op.POOLING, Op.CONCAT, Op.ELTWISE, Op.FLATTEN, Op.INNER_PRODUCT, Op.DROPOUT, Op.RESHAPE, Op.SOFTMAX),
                g.layers().stream().map(Layer::op).toList());
        // floor((7 + 2 - 3) / 2) + 1 = 4; pool: ceil((4 + 2 - 3) / 2) + 1 = 3
        assertEquals(Shape.of(1, 4, 4, 4), g.tensor("conv@conv").shape());
        assertEquals(Shape.of(1, 4, 4, 4), g.tensor("conv").shape());
        assertEquals(Shape.of(1, 4, 3, 3), g.tensor("pool").shape());
        assertEquals(Shape.of(1, 4, 1, 1), g.tensor("gp").shape());
        assertEquals(Shape.of(1, 8, 1, 1), g.tensor("cat").shape());
        assertEquals(Shape.of(1, 8), g.tensor("flat").shape());
        assertEquals(Shape.of(1, 3), g.tensor("ip@ip").shape());
        assertEquals(Shape.of(1, 3, 1), g.tensor("rs").shape());
        assertEquals(List.of("prob"), g.outputs());
        assertEquals(List.of(1.0, -1.0), g.layer("sum").orElseThrow().attributes().getDoubles("coefficients"));
        assertEquals("AVE", g.layer("pool").orElseThrow().attributes().getString("method", ""));
        assertTrue(g.layer("gpool").orElseThrow().attributes().getBoolean("global", false));
        assertEquals(6.0, g.layer("clip").orElseThrow().attributes().getDouble("max", 0));
        assertEquals(Shape.of(4, 1, 3, 3), g.tensor(g.layer("conv").orElseThrow().weights().get("weight")).shape());
        assertTrue(g.layer("train_only").isEmpty(), "layers included only in TRAIN are not part of the deploy net");
    }

    @Test
    void innerProductWithTransposeIsStoredOutputMajor() throws Exception {
        Graph g = new CaffeReader().read(everyOpPrototxt(), everyOpWeights(0.5f));
        Layer ip = g.layer("ip").orElseThrow();
        Weights w = g.tensor(ip.weights().get("weight")).weights();
        assertEquals(Shape.of(3, 8), g.tensor(ip.weights().get("weight")).shape());
        // stored [k][n] = 0.5 * (3k + n); ours [n][k]: n=2, k=5 -> 0.5 * 17
        assertEquals(8.5f, w.get(2 * 8 + 5));
        assertEquals(9f, g.tensor(ip.weights().get("bias")).weights().get(2));
    }

    @Test
    void batchNormStatisticsAreDividedByTheMovingAverageFactor() throws Exception {
        Graph g = new CaffeReader().read(everyOpPrototxt(), everyOpWeights(0.5f));
        Layer bn = g.layer("bn").orElseThrow();
        Weights mean = g.tensor(bn.weights().get("mean")).weights();
        Weights var = g.tensor(bn.weights().get("variance")).weights();
        // factor 0.5: everything doubles exactly
        assertEquals(4f, mean.get(0));
        assertEquals(-12f, mean.get(2));
        assertEquals(14f, var.get(3));
        assertEquals(0.5, bn.attributes().getDouble("moving_average_factor", 0));
        assertEquals(0.001f, (float) bn.attributes().getDouble("epsilon", 0));
    }

    @Test
    void batchNormFactorLikeCaffesDefaultRunAgrees() throws Exception {
        // 999.98236 is the BatchNorm moving-average factor in ResNet-50's weights; 999.98 / 999.98236 ≈ 0.99999764 in
        // double
        Graph g = new CaffeReader().read(everyOpPrototxt(), everyOpWeights(999.98236f));
        Weights mean = g.tensor(g.layer("bn").orElseThrow().weights().get("mean")).weights();
        assertEquals(999.98 / 999.98236, mean.get(3), 1e-6);
        assertEquals(2.0 / 999.98236, mean.get(0), 1e-9);
    }

    @Test
    void zeroBatchNormFactorGivesZeroStatisticsAndAWarning() throws Exception {
        Graph g = new CaffeReader().read(everyOpPrototxt(), everyOpWeights(0f));
        Weights mean = g.tensor(g.layer("bn").orElseThrow().weights().get("mean")).weights();
        assertEquals(0f, mean.get(3));
        assertTrue(g.warnings().stream().anyMatch(w -> w.contains("'bn'") && w.contains("is 0")), g.warnings().toString());
    }

    @Test
    void tableKeysSkipDroppedLayersAndKeepPrototxtOrder() throws Exception {
        Graph g = new CaffeReader().read(everyOpPrototxt(), null);
        assertEquals(List.of("data", "conv", "bn", "sc", "relu", "pool", "prelu", "bias", "clip", "gpool", "cat", "sum",
                "ip", "rs", "prob"), NvdlaTableKeys.of(g).stream().map(TableKey::key).toList());
        assertEquals(new TableKey("bn", "conv@bn", "bn"), NvdlaTableKeys.of(g).get(2));
    }

    /**
     * Expected names derived by hand from TensorRT's caffeParser.cpp: one TensorRT layer per Caffe
     * layer except Input/Dropout/Flatten; PReLU adds a Constant first (index 5); blob names go to the
     * tensor each blob finally points to.
     */
    @Test
    void tensorRtNamesFollowTheCaffeParser() throws Exception {
        Graph g = new CaffeReader().read(everyOpPrototxt(), null);
        assertEquals(List.of("data", "(Unnamed Layer* 0) [Convolution]_output", "(Unnamed Layer* 1) [Scale]_output",
                "(Unnamed Layer* 2) [Scale]_output", "conv", "(Unnamed Layer* 4) [Pooling]_output",
                "(Unnamed Layer* 5) [Constant]_output", "pool", "(Unnamed Layer* 7) [Scale]_output", "biased", "gp",
                "cat", "sum", "ip", "rs", "prob"),
                TensorRtNames.of(g).stream().map(TrtName::trtName).toList());
        // Flatten's top 'flat' aliases blob 'sum': std::map order gives the tensor the greater name, "sum"
        assertEquals("sum", TensorRtNames.byTensor(g).get("flat"));
        // Dropout in place on 'ip': the InnerProduct output is what TensorRT calls "ip"
        assertEquals("ip", TensorRtNames.byTensor(g).get("ip@ip"));
        assertEquals("ip", TensorRtNames.byTensor(g).get("ip"));
    }

    @Test
    void unsupportedLayersAreListedTogether() throws Exception {
        Path p = dir.resolve("unsupported.prototxt");
        Files.writeString(p, """
                input: "data" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
                layer { name: "norm1" type: "LRN" bottom: "data" top: "n1" }
                layer { name: "sig" type: "Sigmoid" bottom: "n1" top: "s" }
                layer { name: "norm2" type: "LRN" bottom: "s" top: "n2" }
                layer { name: "relu" type: "ReLU" bottom: "n2" top: "n2" }
                layer { name: "sp" type: "Pooling" bottom: "n2" top: "p" pooling_param { pool: STOCHASTIC kernel_size: 2 } }
                """);
        ProblemException e = assertThrows(ProblemException.class, () -> new CaffeReader().read(p, null));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains(
                "unsupported operations: LRN (norm1, norm2); Pooling (STOCHASTIC) (sp); Sigmoid (sig)."), e.getMessage());
    }

    @Test
    void oldStyleV1LayersAreRead() throws Exception {
        Path p = dir.resolve("v1.prototxt");
        Files.writeString(p, """
                name: "old"
                input: "data"
                input_dim: 1 input_dim: 1 input_dim: 8 input_dim: 8
                layers { name: "conv1" type: CONVOLUTION bottom: "data" top: "conv1"
                         blobs_lr: 1 convolution_param { num_output: 2 kernel_size: 3 } }
                layers { name: "relu1" type: RELU bottom: "conv1" top: "conv1" }
                layers { name: "fc" type: INNER_PRODUCT bottom: "conv1" top: "fc" inner_product_param { num_output: 5 } }
                """);
        Graph g = new CaffeReader().read(p, null);
        assertEquals(List.of("conv1", "relu1", "fc"), g.layers().stream().map(Layer::name).toList());
        assertEquals(Shape.of(1, 2, 6, 6), g.tensor("conv1").shape());
        assertEquals(Shape.of(1, 5), g.tensor("fc").shape());
        assertEquals(Shape.of(5, 72), g.tensor(g.layer("fc").orElseThrow().weights().get("weight")).shape());
    }

    @Test
    void readingABlobNoLayerProducesIsReported() throws Exception {
        Path p = dir.resolve("dangling.prototxt");
        Files.writeString(p, """
                input: "data" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
                layer { name: "relu" type: "ReLU" bottom: "dta" top: "r" }
                layer { name: "after" type: "ReLU" bottom: "r" top: "r2" }
                """);
        ProblemException e = assertThrows(ProblemException.class, () -> new CaffeReader().read(p, null));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("layer 'relu' (ReLU) reads blob 'dta'"), e.getMessage());
    }
}
