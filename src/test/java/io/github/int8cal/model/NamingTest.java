package io.github.int8cal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.model.caffe.CaffeReader;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamingTest {

    @TempDir
    Path dir;

    /** The first ResNet-50 layers (KaimingHe ResNet-50-deploy.prototxt layer sequence, 224x224 input). */
    static String resnetHead() {
        StringBuilder s = new StringBuilder("input: \"data\" input_dim: 1 input_dim: 3 input_dim: 224 input_dim: 224\n");
        s.append(conv("conv1", "data", "conv1", 64, 7, 2, 3)).append(bnScale("conv1", "conv1"))
                .append(relu("conv1_relu", "conv1"))
                .append("layer { name: \"pool1\" type: \"Pooling\" bottom: \"conv1\" top: \"pool1\" "
                        + "pooling_param { pool: MAX kernel_size: 3 stride: 2 } }\n")
                .append(conv("res2a_branch1", "pool1", "res2a_branch1", 256, 1, 1, 0)).append(bnScale("2a_branch1", "res2a_branch1"))
                .append(conv("res2a_branch2a", "pool1", "res2a_branch2a", 64, 1, 1, 0)).append(bnScale("2a_branch2a", "res2a_branch2a"))
                .append(relu("res2a_branch2a_relu", "res2a_branch2a"))
                .append(conv("res2a_branch2b", "res2a_branch2a", "res2a_branch2b", 64, 3, 1, 1)).append(bnScale("2a_branch2b", "res2a_branch2b"))
                .append(relu("res2a_branch2b_relu", "res2a_branch2b"))
                .append(conv("res2a_branch2c", "res2a_branch2b", "res2a_branch2c", 256, 1, 1, 0)).append(bnScale("2a_branch2c", "res2a_branch2c"))
                .append("layer { name: \"res2a\" type: \"Eltwise\" bottom: \"res2a_branch1\" bottom: \"res2a_branch2c\" top: \"res2a\" }\n")
                .append(relu("res2a_relu", "res2a"));
        return s.toString();
    }

    static String conv(String name, String bottom, String top, int n, int k, int s, int p) {
        return "layer { name: \"" + name + "\" type: \"Convolution\" bottom: \"" + bottom + "\" top: \"" + top
                + "\" convolution_param { num_output: " + n + " kernel_size: " + k + " stride: " + s + " pad: " + p
                + " bias_term: false } }\n";
    }

    static String bnScale(String suffix, String blob) {
        String bn = suffix.equals("conv1") ? "bn_conv1" : "bn" + suffix;
        String sc = suffix.equals("conv1") ? "scale_conv1" : "scale" + suffix;
        return "layer { name: \"" + bn + "\" type: \"BatchNorm\" bottom: \"" + blob + "\" top: \"" + blob + "\" }\n"
                + "layer { name: \"" + sc + "\" type: \"Scale\" bottom: \"" + blob + "\" top: \"" + blob
                + "\" scale_param { bias_term: true } }\n";
    }

    static String relu(String name, String blob) {
        return "layer { name: \"" + name + "\" type: \"ReLU\" bottom: \"" + blob + "\" top: \"" + blob + "\" }\n";
    }

    Graph resnet() throws Exception {
        Path p = dir.resolve("resnet-head.prototxt");
        Files.writeString(p, resnetHead());
        return new CaffeReader().read(p, null);
    }

    /**
     * Every row of the mapping table in docs/nvdla-compiler.md#table-keys-and-tensorrt-names (verified there against
     * resnet50.json).
     */
    @Test
    void resnetCacheNamesMapToTheLayerNamesOfTheShippedJson() throws Exception {
        Graph g = resnet();
        List<String> cache = List.of("data", "(Unnamed Layer* 0) [Convolution]_output", "(Unnamed Layer* 1) [Scale]_output",
                "(Unnamed Layer* 2) [Scale]_output", "conv1", "res2a_branch1", "(Unnamed Layer* 19) [ElementWise]_output",
                "res2a");
        TensorRtNames.CacheKeyMapping m = TensorRtNames.toTableKeys(g, cache, "resnet50.txt");
        assertTrue(m.problems().isEmpty(), m.problems().toString());
        assertEquals(List.of("data", "conv1", "bn_conv1", "scale_conv1", "conv1_relu", "scale2a_branch1", "res2a",
                "res2a_relu"), List.copyOf(m.keyByCacheName().values()));
    }

    @Test
    void unnamedEntryOfTheWrongTypeOrIndexIsReported() throws Exception {
        Graph g = resnet();
        TensorRtNames.CacheKeyMapping m = TensorRtNames.toTableKeys(g, List.of(
                "(Unnamed Layer* 1) [Convolution]_output", "(Unnamed Layer* 99) [Scale]_output", "fc1000"), "c.cache");
        assertEquals(List.of("(Unnamed Layer* 1) [Convolution]_output", "(Unnamed Layer* 99) [Scale]_output", "fc1000"),
                m.unmapped());
        assertTrue(m.problems().get(0).message().contains("layer 'bn_conv1' [Scale], not [Convolution]"),
                m.problems().get(0).message());
        assertTrue(m.problems().get(1).message().contains("no TensorRT layer 99 (TensorRT would create 21 layers"),
                m.problems().get(1).message());
        assertTrue(m.problems().get(2).message().contains("'fc1000' matches no blob"), m.problems().get(2).message());
    }

    @Test
    void typeWordsAreComparedWithoutSpacesOrCase() throws Exception {
        Graph g = resnet();
        TensorRtNames.CacheKeyMapping m = TensorRtNames.toTableKeys(g, List.of("(Unnamed Layer* 19) [Elementwise]_output"),
                "c.cache");
        assertEquals(Map.of("(Unnamed Layer* 19) [Elementwise]_output", "res2a"), m.keyByCacheName());
    }

    @Test
    void statisticsByLayerNameByTensorRtNameAndByBlobNameResolve() throws Exception {
        Graph g = new CaffeReader().read(Path.of("../shared/fixtures/caffe-lenet/lenet.prototxt"), null);
        Map<String, Double> byLayer = new LinkedHashMap<>();
        for (TableKey k : NvdlaTableKeys.of(g)) {
            byLayer.put(k.key(), (double) byLayer.size());
        }
        StatisticsKeys.Resolved<Double> r = StatisticsKeys.resolve(g, byLayer, StatisticsKeys.Naming.AUTO, "s.json");
        assertEquals(StatisticsKeys.Naming.LAYER, r.naming());
        assertEquals(5.0, r.byTensor().get("ip1@ip1"));
        assertEquals(6.0, r.byTensor().get("ip1"));

        Map<String, Double> byTrt = new LinkedHashMap<>();
        TensorRtNames.of(g).forEach(n -> byTrt.put(n.trtName(), (double) byTrt.size()));
        StatisticsKeys.Resolved<Double> t = StatisticsKeys.resolve(g, byTrt, StatisticsKeys.Naming.AUTO, "c.cache");
        assertEquals(StatisticsKeys.Naming.TENSORRT, t.naming());
        assertEquals(5.0, t.byTensor().get("ip1@ip1"));
        assertEquals(6.0, t.byTensor().get("ip1"));
        assertEquals(g.activations().size(), t.byTensor().size());
    }

    @Test
    void missingAndUnmatchedStatisticsAreReportedTogether() throws Exception {
        Graph g = new CaffeReader().read(Path.of("../shared/fixtures/caffe-lenet/lenet.prototxt"), null);
        // blob names cannot name the InnerProduct output that relu1 overwrites in place
        Map<String, Double> byBlob = new LinkedHashMap<>();
        for (String b : List.of("data", "conv1", "pool1", "conv2", "pool2", "ip1", "ip2", "prob", "loss", "accuracy")) {
            byBlob.put(b, 1.0);
        }
        ProblemException e = assertThrows(ProblemException.class,
                () -> StatisticsKeys.resolve(g, byBlob, StatisticsKeys.Naming.TENSOR, "blobs.json"));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).message().startsWith("1 tensor(s) of the model have no statistics")
                && e.problems().get(0).message().contains("'ip1@ip1' (output of InnerProduct 'ip1')"), e.getMessage());
        assertTrue(e.problems().get(1).message().contains("2 statistics entries match nothing")
                && e.problems().get(1).message().contains("'loss', 'accuracy'"), e.getMessage());
    }

    @Test
    void dropoutAndFlattenOutputsInheritTheirInputsStatistics() throws Exception {
        Path p = dir.resolve("drop.prototxt");
        Files.writeString(p, """
                input: "data" input_shape { dim: 1 dim: 2 dim: 3 dim: 3 }
                layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc" inner_product_param { num_output: 4 } }
                layer { name: "drop" type: "Dropout" bottom: "fc" top: "fc" }
                layer { name: "flat" type: "Flatten" bottom: "fc" top: "flat" }
                """);
        Graph g = new CaffeReader().read(p, null);
        StatisticsKeys.Resolved<Double> r = StatisticsKeys.resolve(g, Map.of("data", 1.0, "fc", 2.0),
                StatisticsKeys.Naming.LAYER, "s.json");
        assertEquals(List.of("fc", "flat"), r.inherited());
        assertEquals(2.0, r.byTensor().get("flat"));
    }
}
