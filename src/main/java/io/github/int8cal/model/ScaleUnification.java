package io.github.int8cal.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Makes tensors that NVDLA runs at one scale carry one amax (docs/nvdla-compiler.md#shared-scales). Pooling, concat,
 * reshape/flatten/dropout and a stand-alone ReLU/Clip never requantize, so their output must have the input's scale
 * (and a concat's inputs each other's); the inputs of an element-wise SUM or MAX must share one scale. Tensors are
 * grouped with union-find and each group takes the largest amax of its members, so no member clips more than it was
 * calibrated to.
 *
 * <p>A ReLU/Clip counts as merged (not stand-alone) when its input comes from a Convolution,
 * InnerProduct, BatchNorm, Scale, Bias or Eltwise and the ReLU is that tensor's only reader: the
 * compiler then folds it into the producer's SDP op, which does requantize.
 */
public final class ScaleUnification {

    private ScaleUnification() {
    }

    public enum Mode {
        /** Return unified values and one change record per modified tensor. */
        UNIFY,
        /** Leave values as they are; report every mismatch as a warning naming the layers. */
        REPORT_ONLY
    }

    /** One tensor whose amax was raised to its group's shared value. */
    public record Change(String tensor, double oldAmax, double newAmax, String reason) {
    }

    /**
     * @param amax     every input tensor's value (unified in {@link Mode#UNIFY}, unchanged otherwise), graph order
     * @param changes  modified tensors, in graph order (empty in report-only mode)
     * @param warnings mismatches left in place (report-only mode), in graph order
     */
    public record Result(Map<String, Double> amax, List<Change> changes, List<String> warnings) {
        public Result {
            amax = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(amax));
            changes = List.copyOf(changes);
            warnings = List.copyOf(warnings);
        }
    }

    public static Result unify(Graph graph, Map<String, Double> amax, Mode mode) {
        UnionFind groups = new UnionFind();
        Map<String, Set<String>> why = new HashMap<>();
        for (Layer l : graph.layers()) {
            List<String> members = new ArrayList<>();
            String rule = null;
            switch (l.op()) {
                case POOLING, CONCAT, RESHAPE, FLATTEN, DROPOUT -> {
                    members.addAll(l.inputs());
                    members.add(l.output());
                    rule = l.op() == Op.CONCAT ? "concat never requantizes its inputs"
                            : l.op() == Op.POOLING ? "pooling never requantizes"
                            : "a reshape never requantizes";
                }
                case RELU, CLIP -> {
                    if (!mergedIntoProducer(graph, l)) {
                        members.add(l.input0());
                        members.add(l.output());
                        rule = "a stand-alone activation never requantizes";
                    }
                }
                case ELTWISE -> {
                    String operation = l.attributes().getString("operation", "SUM");
                    if (!operation.equals("PROD")) {
                        members.addAll(l.inputs());
                        rule = "element-wise " + operation + " inputs must share one scale";
                    }
                }
                default -> {
                }
            }
            if (members.size() < 2) {
                continue;
            }
            String description = l.sourceType() + " '" + l.name() + "' (" + rule + ")";
            for (String m : members) {
                groups.union(members.get(0), m);
            }
            why.computeIfAbsent(members.get(0), k -> new LinkedHashSet<>()).add(description);
        }

        // collect members and reasons per root, in graph order
        Map<String, List<String>> membersByRoot = new LinkedHashMap<>();
        for (Tensor t : graph.activations()) {
            if (groups.known(t.name())) {
                membersByRoot.computeIfAbsent(groups.find(t.name()), k -> new ArrayList<>()).add(t.name());
            }
        }
        Map<String, Set<String>> reasonsByRoot = new HashMap<>();
        why.forEach((anchor, reasons) -> reasonsByRoot.computeIfAbsent(groups.find(anchor),
                k -> new LinkedHashSet<>()).addAll(reasons));

        Map<String, Double> out = new LinkedHashMap<>(amax);
        Map<String, Change> changes = new HashMap<>();
        Map<String, String> warnings = new HashMap<>();
        for (Map.Entry<String, List<String>> group : membersByRoot.entrySet()) {
            List<String> present = group.getValue().stream().filter(amax::containsKey).toList();
            if (present.size() < 2) {
                continue;
            }
            String largest = present.get(0);
            for (String t : present) {
                if (amax.get(t) > amax.get(largest)) {
                    largest = t;
                }
            }
            double shared = amax.get(largest);
            String layers = String.join("; ", reasonsByRoot.getOrDefault(group.getKey(), Set.of()));
            for (String t : present) {
                double old = amax.get(t);
                if (old == shared) {
                    continue;
                }
                if (mode == Mode.UNIFY) {
                    out.put(t, shared);
                    changes.put(t, new Change(t, old, shared, String.format(Locale.ROOT,
                            "shares one scale with %s via %s; the shared amax is the largest, %s's",
                            others(present, t), layers, largest)));
                } else {
                    warnings.put(t, String.format(Locale.ROOT,
                            "tensor '%s' has amax %s but must share one scale with %s (largest amax %s, tensor '%s') "
                                    + "via %s; NVDLA will silently use one scale for all of them",
                            t, fmt(old), others(present, t), fmt(shared), largest, layers));
                }
            }
        }
        List<Change> orderedChanges = new ArrayList<>();
        List<String> orderedWarnings = new ArrayList<>();
        for (Tensor t : graph.activations()) {
            if (changes.containsKey(t.name())) {
                orderedChanges.add(changes.get(t.name()));
            }
            if (warnings.containsKey(t.name())) {
                orderedWarnings.add(warnings.get(t.name()));
            }
        }
        return new Result(out, orderedChanges, orderedWarnings);
    }

    /** True when nvdla_compiler fuses this activation into the SDP op of the layer producing its input. */
    public static boolean mergedIntoProducer(Graph graph, Layer activation) {
        String in = activation.input0();
        Layer producer = graph.producer(in).orElse(null);
        if (producer == null || graph.consumers(in).size() != 1) {
            return false;
        }
        return switch (producer.op()) {
            case CONVOLUTION, INNER_PRODUCT, BATCH_NORM, SCALE, BIAS, ELTWISE -> true;
            default -> false;
        };
    }

    private static String others(List<String> group, String self) {
        List<String> rest = group.stream().filter(t -> !t.equals(self)).map(t -> "'" + t + "'").toList();
        return String.join(", ", rest);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }

    /** Plain union-find over tensor names. */
    private static final class UnionFind {
        private final Map<String, String> parent = new HashMap<>();

        boolean known(String x) {
            return parent.containsKey(x);
        }

        String find(String x) {
            parent.putIfAbsent(x, x);
            String root = x;
            while (!parent.get(root).equals(root)) {
                root = parent.get(root);
            }
            while (!parent.get(x).equals(root)) {
                String next = parent.get(x);
                parent.put(x, root);
                x = next;
            }
            return root;
        }

        void union(String a, String b) {
            String ra = find(a);
            String rb = find(b);
            if (!ra.equals(rb)) {
                parent.put(rb, ra);
            }
        }
    }
}
