package io.github.int8cal.plan;

import io.github.int8cal.model.Graph;
import io.github.int8cal.model.Layer;
import io.github.int8cal.model.ModelFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The two orders nvdla_compiler's graph passes depend on, reproduced on our layer graph (see
 * {@code docs/residual-networks.md}):
 *
 * <ul>
 * <li><b>Edge order.</b> Every tensor the parser creates becomes one edge (however many layers read
 * it); edges are numbered when first met while the layers are visited in network order, each
 * layer's inputs before its output. A node lists its input edges sorted by that number, so an
 * element-wise sum's "input 0" is the input whose tensor was created first, i.e. whose producing
 * layer comes first in the network (a network input: where its first reader is), whatever the
 * order of the Eltwise {@code bottom:} lines.</li>
 * <li><b>Node order.</b> The order in which the compiler's dependency traversal finishes nodes
 * ({@code ScoredGraphOrdering::generate}): traversal pointers start at the readers of the network
 * inputs; the first pointer (in list order) whose node has all inputs ready finishes it and moves
 * to the node's first reader, the other readers get new pointers inserted right after it in
 * reverse order. Element-wise equalization walks sums in this order, and the per-filter
 * super-op fusion puts a sum into the source visited later.</li>
 * </ul>
 *
 * <p>The layers are those the compiler's parser creates: for Caffe every layer but Dropout and
 * Flatten (their top aliases their bottom) and only each layer's first top; for ONNX every node,
 * as if it were a Caffe layer in node order. The engine graph the compiler actually orders adds
 * and merges nodes inside chains (conv + SDP, folded BN/Scale/ReLU) but keeps every branch point
 * and the relative order of the first node of each branch, so both orders come out the same.
 */
public final class CompilerGraphOrder {

    private final Graph graph;
    private final Map<String, Integer> edgeIds = new HashMap<>();
    private final Map<String, Integer> nodeIds = new HashMap<>();
    private final List<Layer> nodes = new ArrayList<>();
    private final Map<String, Layer> producer = new HashMap<>();
    private final Map<String, List<Layer>> readers = new HashMap<>();
    private final List<Layer> visitOrder;
    private final Map<String, Integer> visitIndex = new HashMap<>();

    private CompilerGraphOrder(Graph graph) {
        this.graph = graph;
        for (Layer l : graph.layers()) {
            if (dropped(l)) {
                continue;
            }
            nodeIds.put(l.name(), nodes.size());
            nodes.add(l);
            for (String in : inputs(l)) {
                edgeIds.putIfAbsent(in, edgeIds.size());
                List<Layer> r = readers.computeIfAbsent(in, k -> new ArrayList<>());
                if (!r.contains(l)) {
                    r.add(l);
                }
            }
            for (String out : outputs(l)) {
                edgeIds.putIfAbsent(out, edgeIds.size());
                producer.putIfAbsent(out, l);
            }
        }
        visitOrder = traverse();
        for (int i = 0; i < visitOrder.size(); i++) {
            visitIndex.put(visitOrder.get(i).name(), i);
        }
    }

    public static CompilerGraphOrder of(Graph graph) {
        return new CompilerGraphOrder(graph);
    }

    /** Layers the Caffe parser of nvdla_compiler does not create (the top aliases the bottom). */
    private boolean dropped(Layer l) {
        return graph.format() == ModelFormat.CAFFE && l.op().isDroppedByCaffeParsers();
    }

    /**
     * The tensor the compiler's parser binds to {@code tensor}: through Caffe Dropout and Flatten
     * layers to their bottom.
     */
    public String resolve(String tensor) {
        String t = tensor;
        while (graph.format() == ModelFormat.CAFFE) {
            Optional<Layer> p = graph.producer(t);
            if (p.isEmpty() || !p.get().op().isDroppedByCaffeParsers()) {
                break;
            }
            t = p.get().input0();
        }
        return t;
    }

    private List<String> inputs(Layer l) {
        List<String> out = new ArrayList<>();
        for (String in : l.inputs()) {
            out.add(resolve(in));
        }
        return out;
    }

    /** Caffe: the parser keeps only the first top; ONNX: every output. */
    private List<String> outputs(Layer l) {
        return graph.format() == ModelFormat.CAFFE ? List.of(l.output()) : l.outputs();
    }

    /** Creation number of the edge of {@code tensor} (after {@link #resolve}), or -1 when no layer touches it. */
    public int edgeId(String tensor) {
        return edgeIds.getOrDefault(resolve(tensor), -1);
    }

    /**
     * The element-wise op's input tensors in the compiler's edge order (input 0 first), each
     * resolved; duplicates collapse to one edge as in the compiler.
     */
    public List<String> upstreamEdges(Layer layer) {
        List<String> in = new ArrayList<>(new java.util.LinkedHashSet<>(inputs(layer)));
        in.sort((a, b) -> Integer.compare(edgeIds.getOrDefault(a, Integer.MAX_VALUE),
                edgeIds.getOrDefault(b, Integer.MAX_VALUE)));
        return in;
    }

    /**
     * Sibling edges of the edge of {@code tensor}: the other output edges of its producer
     * ({@code EngineGraph::siblingDataEdges}). A tensor read by several layers is one edge, so this
     * counts other <em>outputs</em>, never other readers; a network input has none.
     */
    public int siblingEdges(String tensor) {
        Layer p = producer.get(resolve(tensor));
        return p == null ? 0 : outputs(p).size() - 1;
    }

    /** Layers in the order the compiler's traversal finishes them. */
    public List<Layer> visitOrder() {
        return Collections.unmodifiableList(visitOrder);
    }

    /** Position of {@code layer} in {@link #visitOrder()}, or -1 when the traversal never reaches it. */
    public int visitIndex(String layer) {
        return visitIndex.getOrDefault(layer, -1);
    }

    /** The layer that writes {@code tensor} (after {@link #resolve}) as the compiler sees it, if any. */
    public Optional<Layer> producer(String tensor) {
        return Optional.ofNullable(producer.get(resolve(tensor)));
    }

    // ---- ScoredGraphOrdering::generate ---------------------------------------------------------

    private List<String> upstream(Layer l) {
        List<String> in = new ArrayList<>(new java.util.LinkedHashSet<>(inputs(l)));
        in.sort((a, b) -> Integer.compare(edgeIds.get(a), edgeIds.get(b)));
        return in;
    }

    /** The readers of every output edge (edges by number, readers by node number), without repeats. */
    private List<Layer> downstreamNodes(Layer l) {
        List<String> outs = new ArrayList<>(outputs(l));
        outs.sort((a, b) -> Integer.compare(edgeIds.get(a), edgeIds.get(b)));
        List<Layer> out = new ArrayList<>();
        for (String t : outs) {
            List<Layer> r = new ArrayList<>(readers.getOrDefault(t, List.of()));
            r.sort((a, b) -> Integer.compare(nodeIds.get(a.name()), nodeIds.get(b.name())));
            for (Layer x : r) {
                if (!out.contains(x)) {
                    out.add(x);
                }
            }
        }
        return out;
    }

    /** A node can finish once every producer of its inputs has finished (inputs without one are ready). */
    private boolean finishable(Layer l, Set<String> finished) {
        for (String in : upstream(l)) {
            Layer p = producer.get(in);
            if (p != null && !finished.contains(p.name())) {
                return false;
            }
        }
        return true;
    }

    private List<Layer> traverse() {
        List<Layer> pointers = new ArrayList<>();
        for (String input : graph.inputs()) {
            List<Layer> r = new ArrayList<>(readers.getOrDefault(input, List.of()));
            r.sort((a, b) -> Integer.compare(nodeIds.get(a.name()), nodeIds.get(b.name())));
            for (Layer l : r) {
                if (!pointers.contains(l)) {
                    pointers.add(l);
                }
            }
        }
        Set<String> finished = new HashSet<>();
        List<Layer> order = new ArrayList<>();
        while (true) {
            // the first pointer whose node can finish; then drop pointers at finished nodes
            Layer chosen = null;
            for (Layer l : pointers) {
                if (!finished.contains(l.name()) && finishable(l, finished)) {
                    chosen = l;
                    break;
                }
            }
            pointers.removeIf(l -> finished.contains(l.name()));
            if (pointers.isEmpty() || chosen == null) {
                // the compiler reports "not converging" when pointers remain but none can finish
                break;
            }
            // an earlier pointer at the same node would have been chosen: this is its first occurrence
            int at = pointers.indexOf(chosen);
            finished.add(chosen.name());
            order.add(chosen);
            List<Layer> advance = downstreamNodes(chosen);
            if (!advance.isEmpty()) {
                // the pointer follows the first reader; the others get pointers right after it, inserted
                // last reader first before the same list element, so they end up in reverse order
                for (int i = advance.size() - 1; i > 0; i--) {
                    pointers.add(at + advance.size() - i, advance.get(i));
                }
                pointers.set(at, advance.get(0));
            }
        }
        return order;
    }
}
