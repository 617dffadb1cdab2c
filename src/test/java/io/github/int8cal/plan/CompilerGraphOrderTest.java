package io.github.int8cal.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.int8cal.model.Attributes;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.GraphBuilder;
import io.github.int8cal.model.Layer;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.model.Op;
import io.github.int8cal.model.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * nvdla_compiler's edge and node orders on hand-made graphs (docs/residual-networks.md): the
 * expected orders below are worked out by hand from the compiler's rules, step by step in the
 * comments.
 */
class CompilerGraphOrderTest {

    /** Layers that only pass values (ReLU here), enough for the orders, which ignore op types. */
    static Graph graph(ModelFormat format, String[]... layers) throws Exception {
        GraphBuilder b = new GraphBuilder("g", format);
        b.addInput("x", "x", Shape.of(1, 1, 1, 1));
        b.addInput("z", "z", Shape.of(1, 1, 1, 1));
        for (String[] l : layers) {
            // name, output, inputs...
            List<String> inputs = List.of(l).subList(2, l.length);
            Op op = inputs.size() == 2 ? Op.ELTWISE : Op.RELU;
            b.addLayer(l[0], op, op == Op.ELTWISE ? "Eltwise" : "ReLU", inputs, List.of(l[1]), List.of(l[1]), Map.of(),
                    op == Op.ELTWISE ? Attributes.builder().put("operation", "SUM").build() : Attributes.empty());
        }
        return b.build("g", Path.of("g"), true, null);
    }

    static List<String> names(List<Layer> layers) {
        return layers.stream().map(Layer::name).toList();
    }

    /**
     * Edges are numbered when first met, layer by layer, inputs before outputs: a (x, A), b (B),
     * s (z, S). So for s = sum(z, A): A (1) comes before z (3) although z is a network input and
     * the first bottom; for t = sum(B, A): A (1) before B (2), whatever the bottom order.
     */
    @Test
    void inputZeroIsTheTensorCreatedFirstNotTheFirstBottom() throws Exception {
        Graph g = graph(ModelFormat.CAFFE, new String[] {"a", "A", "x"}, new String[] {"b", "B", "A"},
                new String[] {"s", "S", "z", "A"}, new String[] {"t", "T", "B", "A"});
        CompilerGraphOrder o = CompilerGraphOrder.of(g);
        assertEquals(0, o.edgeId("x"));
        assertEquals(1, o.edgeId("A"));
        assertEquals(2, o.edgeId("B"));
        assertEquals(3, o.edgeId("z"));
        assertEquals(List.of("A", "z"), o.upstreamEdges(g.layer("s").orElseThrow()));
        assertEquals(List.of("A", "B"), o.upstreamEdges(g.layer("t").orElseThrow()));
        assertEquals(0, o.siblingEdges("A"), "one tensor read by b, s and t is one edge with three readers");
        assertEquals(0, o.siblingEdges("z"), "a network input has no producer");
    }

    /**
     * The traversal (ScoredGraphOrdering::generate). Pointers start at x's readers [a, c] (pushed in
     * order); a finishes and its pointer moves to A's first reader b, a pointer for the other reader
     * s2 goes right after it: [b, s2, c]. b finishes and moves to B's reader s1: [s1, s2, c]; s1 and
     * s2 both wait for C, so c finishes and moves to its readers: [s1, s2, s1, s2]; s1 (first pointer)
     * finishes, then s2. File order gives the same here; the next test shows where they differ.
     */
    @Test
    void traversalFollowsTheFirstReaderAndQueuesTheOthersInReverse() throws Exception {
        Graph g = graph(ModelFormat.CAFFE, new String[] {"a", "A", "x"}, new String[] {"b", "B", "A"},
                new String[] {"c", "C", "x"}, new String[] {"s1", "S1", "B", "C"}, new String[] {"s2", "S2", "A", "C"});
        assertEquals(List.of("a", "b", "c", "s1", "s2"), names(CompilerGraphOrder.of(g).visitOrder()));
    }

    /**
     * x's readers [a, d]; a finishes, A's readers are [b, s1, s2]: the pointer follows b, then
     * pointers for s2 and s1 go right after it in that order: [b, s2, s1, d]. b finishes (B's reader
     * s2): [s2, s2, s1, d]; s2 has A and B: it finishes before s1, which waits for d (D). File order
     * would walk s1 first.
     */
    @Test
    void aLaterSumCanBeWalkedFirst() throws Exception {
        Graph g = graph(ModelFormat.CAFFE, new String[] {"a", "A", "x"}, new String[] {"b", "B", "A"},
                new String[] {"d", "D", "x"}, new String[] {"s1", "S1", "A", "D"}, new String[] {"s2", "S2", "A", "B"});
        assertEquals(List.of("a", "b", "s2", "d", "s1"), names(CompilerGraphOrder.of(g).visitOrder()));
        assertEquals(2, CompilerGraphOrder.of(g).visitIndex("s2"));
    }

    /** Caffe Dropout creates no layer: its top is its bottom's tensor (edge and producer). */
    @Test
    void caffeDropoutAliasesItsBottom() throws Exception {
        GraphBuilder b = new GraphBuilder("g", ModelFormat.CAFFE);
        b.addInput("x", "x", Shape.of(1, 1, 1, 1));
        b.addLayer("a", Op.RELU, "ReLU", List.of("x"), List.of("A"), List.of("A"), Map.of(), Attributes.empty());
        b.addLayer("drop", Op.DROPOUT, "Dropout", List.of("A"), List.of("D"), List.of("D"), Map.of(),
                Attributes.empty());
        Graph g = b.build("g", Path.of("g"), true, null);
        CompilerGraphOrder o = CompilerGraphOrder.of(g);
        assertEquals("A", o.resolve("D"));
        assertEquals(o.edgeId("A"), o.edgeId("D"));
        assertEquals("a", o.producer("D").orElseThrow().name());
        assertEquals(List.of("a"), names(o.visitOrder()));
    }

    /** An ONNX node with two outputs gives each output one sibling edge. */
    @Test
    void onnxMultiOutputNodesHaveSiblingEdges() throws Exception {
        GraphBuilder b = new GraphBuilder("g", ModelFormat.ONNX);
        b.addInput("x", "x", Shape.of(1, 1, 1, 1));
        b.addLayer("split", Op.RELU, "Split", List.of("x"), List.of("P", "Q"), List.of("P", "Q"), Map.of(),
                Attributes.empty());
        Graph g = b.build("g", Path.of("g"), true, null);
        assertEquals(1, CompilerGraphOrder.of(g).siblingEdges("P"));
        assertEquals(1, CompilerGraphOrder.of(g).siblingEdges("Q"));
    }

    /**
     * Image-input post-extension (docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler). LeNet conv1 on
     * nv_full: C = 1 -> Cz = 4, C' = 4 * 5 = 20, atomicC 64: factor 4 needs C' <= 16 (no); factor 2: 4 + 20 <= 64 and
     * 20 <= 32, so rf = 2, R / rf = 2 full groups; groups start every 64 / 20 = 3 rows: rows 0,1 | 3,4
     * then the partial group's row 4. nv_small (atomicC 8): C' = 20 > 8, no post-extension. ResNet-18
     * CIFAR first conv (3x3, C = 3) on nv_full: C' = 12, rf = 4 (4*3 + 12 = 24 <= 64, 12 <= 16) but
     * R / 4 = 0 full groups: the compiler skips post-extension.
     */
    @Test
    void imageInputWeightRows() throws Exception {
        assertArrayEquals(new int[] {0, 1, 3, 4, 4}, ImageWeightRows.storedRows(64, 1, 5, 5, 1));
        assertEquals(2, ImageWeightRows.postExtension(64, 1, 5, 1));
        assertNull(ImageWeightRows.storedRows(8, 1, 5, 5, 1));
        assertNull(ImageWeightRows.storedRows(64, 3, 3, 3, 1));
        // 7x7 stride 2 on RGB (ResNet-50 style): C' = 28, factor 2 (4*2 + 28 <= 64, 28 <= 32), 64/28 = 2 = rf: correct
        assertNull(ImageWeightRows.storedRows(64, 3, 7, 7, 2));
        // 3x3 on 1 channel with 8 rows: C' = 12, rf 4, 64/12 = 5: rows 0-3, 5-8 (8 is beyond the kernel)
        assertArrayEquals(new int[] {0, 1, 2, 3, 5, 6, 7, 8}, ImageWeightRows.storedRows(64, 1, 8, 3, 1));
    }
}
