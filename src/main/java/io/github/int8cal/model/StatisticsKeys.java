package io.github.int8cal.model;

import io.github.int8cal.problems.Choice;
import io.github.int8cal.problems.Ids;
import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches the keys of a statistics file to the graph's tensors. Keys may be ONNX tensor names,
 * Caffe layer names (as nvdla_compiler tables use), Caffe blob names, or TensorRT cache names
 * (blob names plus {@code (Unnamed Layer* N) [Type]_output}). In a Caffe net with in-place layers
 * a blob name and a layer name can be the same word for different tensors ({@code conv1} is the
 * Convolution output as a layer name but the ReLU output as a blob name), so one naming applies to
 * the whole file: given, or detected by {@link Naming#AUTO}.
 */
public final class StatisticsKeys {

    private StatisticsKeys() {
    }

    public enum Naming implements Choice {
        /** TensorRT names if any key is an unnamed-layer name, otherwise whichever naming matches more keys (layer names on a tie). */
        AUTO,
        /** ONNX tensor names; for Caffe, blob names (the last writer's output) and our {@code blob@layer} names. */
        TENSOR,
        /** Caffe layer names and input blob names (nvdla_compiler's table keys); ONNX node names also work. */
        LAYER,
        /** TensorRT calibration-cache names for this model's format. */
        TENSORRT;

        public static Naming fromId(String text) {
            return Ids.parse(Naming.class, text, "statistics naming");
        }
    }

    /**
     * @param byTensor  statistics per graph tensor, in graph order (inherited entries included)
     * @param naming    the naming used (never AUTO)
     * @param inherited tensors without their own entry that take their input's statistics because
     *                  their layer only moves values (Dropout, Flatten, Reshape)
     * @param ignored   keys that name tensors TensorRT makes on its own (PReLU slope constants)
     */
    public record Resolved<V>(Map<String, V> byTensor, Naming naming, List<String> inherited, List<String> ignored) {
        public Resolved {
            byTensor = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byTensor));
            inherited = List.copyOf(inherited);
            ignored = List.copyOf(ignored);
        }
    }

    /**
     * Resolves every key, then fails once if any activation tensor has no statistics or any key
     * matches nothing.
     *
     * @param where the statistics file, for problem locations
     */
    public static <V> Resolved<V> resolve(Graph graph, Map<String, V> statistics, Naming naming, String where)
            throws ProblemException {
        Naming used = naming == Naming.AUTO ? detect(graph, statistics.keySet()) : naming;
        Lookup lookup = lookup(graph, used, statistics.keySet(), where);

        Map<String, V> found = new HashMap<>();
        List<String> unmatched = new ArrayList<>();
        for (Map.Entry<String, V> e : statistics.entrySet()) {
            String tensor = lookup.tensorByKey.get(e.getKey());
            if (tensor != null) {
                found.put(tensor, e.getValue());
            } else if (!lookup.ignored.contains(e.getKey())) {
                unmatched.add(e.getKey());
            }
        }
        Map<String, V> ordered = new LinkedHashMap<>();
        List<String> inherited = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Tensor t : graph.activations()) {
            V v = found.get(t.name());
            if (v == null) {
                Layer producer = graph.producer(t.name()).orElse(null);
                if (producer != null && producer.op().preservesValues() && ordered.containsKey(producer.input0())) {
                    v = ordered.get(producer.input0());
                    inherited.add(t.name());
                }
            }
            if (v == null) {
                missing.add(t.name());
            } else {
                ordered.put(t.name(), v);
            }
        }
        List<Problem> problems = new ArrayList<>(lookup.problems);
        if (!missing.isEmpty()) {
            problems.add(new Problem(where, missing.size() + " tensor(s) of the model have no statistics (keys read as "
                    + describe(used) + "): " + String.join(", ", missing.stream().map(StatisticsKeys::labelOf)
                            .map(f -> f.apply(graph)).toList())
                    + ". Collect statistics for the same model, or check that the file belongs to it"));
        }
        if (!unmatched.isEmpty()) {
            problems.add(new Problem(where, unmatched.size() + " statistics entr" + (unmatched.size() == 1 ? "y matches"
                    : "ies match") + " nothing in the model (keys read as " + describe(used) + "): "
                    + String.join(", ", unmatched.stream().map(k -> "'" + k + "'").toList())));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(problems);
        }
        // no problems: lookup.ignored holds only TensorRT's own constants (explained keys would have thrown)
        return new Resolved<>(ordered, used, inherited, lookup.ignored);
    }

    private static java.util.function.Function<Graph, String> labelOf(String tensor) {
        return g -> {
            Layer p = g.producer(tensor).orElse(null);
            return p == null ? "'" + tensor + "' (input)" : "'" + tensor + "' (output of " + p.sourceType() + " '" + p.name() + "')";
        };
    }

    private static String describe(Naming n) {
        return switch (n) {
            case TENSOR -> "tensor/blob names";
            case LAYER -> "layer names";
            case TENSORRT -> "TensorRT cache names";
            case AUTO -> "auto";
        };
    }

    static Naming detect(Graph graph, java.util.Set<String> keys) {
        if (graph.format() == ModelFormat.ONNX) {
            return Naming.TENSOR;
        }
        if (keys.stream().anyMatch(k -> k.startsWith("(Unnamed Layer* "))) {
            return Naming.TENSORRT;
        }
        long byLayer = keys.stream().filter(lookup(graph, Naming.LAYER, keys, "")::has).count();
        long byTensor = keys.stream().filter(lookup(graph, Naming.TENSOR, keys, "")::has).count();
        return byTensor > byLayer ? Naming.TENSOR : Naming.LAYER;
    }

    /** {@code ignored} also holds keys already explained by a problem, so they are not reported twice. */
    private record Lookup(Map<String, String> tensorByKey, List<String> ignored, List<Problem> problems) {
        boolean has(String key) {
            return tensorByKey.containsKey(key);
        }
    }

    private static Lookup lookup(Graph graph, Naming naming, java.util.Set<String> keys, String where) {
        Map<String, String> m = new HashMap<>();
        List<String> ignored = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        switch (naming) {
            case TENSOR, AUTO -> graph.activations().forEach(t -> m.put(t.name(), t.name()));
            case LAYER -> {
                for (TableKey k : NvdlaTableKeys.of(graph)) {
                    m.put(k.key(), k.tensor());
                }
                for (Layer l : graph.layers()) {
                    m.putIfAbsent(l.name(), l.output());
                }
            }
            case TENSORRT -> {
                if (graph.format() == ModelFormat.ONNX) {
                    graph.activations().forEach(t -> m.put(t.name(), t.name()));
                } else {
                    Map<String, String> tensorOfKey = new HashMap<>();
                    NvdlaTableKeys.of(graph).forEach(k -> tensorOfKey.put(k.key(), k.tensor()));
                    TensorRtNames.CacheKeyMapping mapping = TensorRtNames.toTableKeys(graph, keys, where);
                    mapping.keyByCacheName().forEach((name, key) -> m.put(name, tensorOfKey.get(key)));
                    ignored.addAll(mapping.ignored());
                    // the mapping explains why a name matches nothing (e.g. wrong layer type at index N)
                    problems.addAll(mapping.problems());
                    ignored.addAll(mapping.unmapped());
                    // an aliased blob (Dropout/Flatten top) names the tensor TensorRT computed
                    TensorRtNames.byTensor(graph).forEach((tensor, trt) -> {
                        if (keys.contains(trt) && !m.containsKey(trt)) {
                            m.put(trt, tensor);
                        }
                    });
                }
            }
        }
        return new Lookup(m, ignored, problems);
    }
}
