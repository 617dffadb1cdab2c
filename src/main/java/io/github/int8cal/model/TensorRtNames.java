package io.github.int8cal.model;

import io.github.int8cal.problems.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TensorRT's own tensor names, as its calibration cache uses them.
 *
 * <p>ONNX: the ONNX tensor names. Caffe: what TensorRT's Caffe parser does
 * ({@code parsers/caffe/caffeParser/caffeParser.cpp}): Input, Dropout and Flatten create no layer
 * (the top blob aliases the bottom); every other layer creates one TensorRT layer whose output is
 * first named {@code (Unnamed Layer* N) [Type]_output}, N counting TensorRT layers from 0 (PReLU
 * adds a Constant layer for its slopes first, so it takes two indices); finally every blob name is
 * given to the tensor it last points to, in {@code std::map} (byte) order, so the last writer of
 * each blob carries the blob name and an aliased tensor the greatest of its blob names. Checked
 * against the LeNet fixture (ip1 → {@code (Unnamed Layer* 4) [Fully Connected]_output}) and the
 * ResNet-50 mapping in docs/nvdla-compiler.md#table-keys-and-tensorrt-names.
 */
public final class TensorRtNames {

    private static final Pattern UNNAMED = Pattern.compile("\\(Unnamed Layer\\* (\\d+)\\) \\[([^\\]]*)\\]_output(_\\d+)?");

    private TensorRtNames() {
    }

    /** TensorRT's layer type word in unnamed tensor names, for the layers its Caffe parser creates. */
    public static String trtLayerType(Op op) {
        return switch (op) {
            case CONVOLUTION -> "Convolution";
            case INNER_PRODUCT -> "Fully Connected";
            // TensorRT's Caffe parser has no Bias parser; a Scale layer is what it would take
            case BATCH_NORM, SCALE, BIAS -> "Scale";
            case RELU, CLIP -> "Activation";
            case PRELU -> "ParametricReLU";
            case POOLING -> "Pooling";
            case ELTWISE -> "ElementWise";
            case CONCAT -> "Concatenation";
            case RESHAPE -> "Shuffle";
            case SOFTMAX -> "Softmax";
            case DROPOUT, FLATTEN -> throw new IllegalArgumentException(op + " creates no TensorRT layer");
        };
    }

    /**
     * One entry per tensor TensorRT computes, in creation order: inputs, then layer outputs. Aliases
     * (Caffe Dropout/Flatten outputs) have no entry of their own; see {@link #byTensor}.
     */
    public static List<TrtName> of(Graph graph) {
        return graph.format() == ModelFormat.ONNX ? onnx(graph) : caffe(graph).entries;
    }

    /** Every activation tensor of the graph (aliases included) to its TensorRT name. */
    public static Map<String, String> byTensor(Graph graph) {
        if (graph.format() == ModelFormat.ONNX) {
            Map<String, String> m = new LinkedHashMap<>();
            graph.activations().forEach(t -> m.put(t.name(), t.name()));
            return m;
        }
        return caffe(graph).byTensor;
    }

    private static List<TrtName> onnx(Graph graph) {
        List<TrtName> names = new ArrayList<>();
        for (String in : graph.inputs()) {
            names.add(new TrtName(in, in, null));
        }
        for (Layer l : graph.layers()) {
            l.outputs().forEach(o -> names.add(new TrtName(o, o, l.name())));
        }
        return names;
    }

    private record CaffeNames(List<TrtName> entries, Map<String, String> byTensor) {
    }

    private static CaffeNames caffe(Graph graph) {
        // TensorRT tensors are identified by the graph tensor that TensorRT actually computes
        Map<String, String> trtTensorOf = new HashMap<>();
        Map<String, String> defaultName = new LinkedHashMap<>();
        Map<String, String> layerOf = new HashMap<>();
        List<TrtName> constants = new ArrayList<>();
        Map<String, Integer> constantPosition = new HashMap<>();
        Map<String, String> blobToTensor = new TreeMap<>(TensorRtNames::compareBytes);
        for (String in : graph.inputs()) {
            trtTensorOf.put(in, in);
            defaultName.put(in, graph.tensor(in).sourceName());
            blobToTensor.put(graph.tensor(in).sourceName(), in);
        }
        int index = 0;
        for (Layer l : graph.layers()) {
            if (l.op() == Op.DROPOUT || l.op() == Op.FLATTEN) {
                String aliased = trtTensorOf.get(l.inputs().get(0));
                trtTensorOf.put(l.output(), aliased);
                blobToTensor.put(graph.tensor(l.output()).sourceName(), aliased);
                continue;
            }
            if (l.op() == Op.PRELU) {
                constantPosition.put(l.name(), defaultName.size());
                constants.add(new TrtName("(Unnamed Layer* " + index + ") [Constant]_output", null, l.name()));
                index++;
            }
            String out = l.output();
            trtTensorOf.put(out, out);
            layerOf.put(out, l.name());
            defaultName.put(out, "(Unnamed Layer* " + index + ") [" + trtLayerType(l.op()) + "]_output");
            blobToTensor.put(graph.tensor(out).sourceName(), out);
            index++;
        }
        Map<String, String> finalName = new HashMap<>(defaultName);
        blobToTensor.forEach((blob, tensor) -> finalName.put(tensor, blob));

        List<TrtName> entries = new ArrayList<>();
        int position = 0;
        for (String tensor : defaultName.keySet()) {
            for (TrtName c : constants) {
                if (constantPosition.get(c.layer()) == position) {
                    entries.add(c);
                }
            }
            entries.add(new TrtName(finalName.get(tensor), tensor, layerOf.get(tensor)));
            position++;
        }
        Map<String, String> byTensor = new LinkedHashMap<>();
        for (Tensor t : graph.activations()) {
            String computed = trtTensorOf.get(t.name());
            if (computed != null) {
                byTensor.put(t.name(), finalName.get(computed));
            }
        }
        return new CaffeNames(List.copyOf(entries), byTensor);
    }

    /** std::string ordering: unsigned bytes of the UTF-8 encoding. */
    static int compareBytes(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    /**
     * How the entries of a TensorRT cache made from this Caffe model map to nvdla_compiler table keys.
     *
     * @param keyByCacheName cache name to table key (Caffe layer name or input blob name), in cache order
     * @param ignored        cache names TensorRT made for its own Constant layers (PReLU slopes): no key needed
     * @param problems       entries that match nothing in the model, one problem each
     * @param unmapped       the cache names of those problems, same order
     */
    public record CacheKeyMapping(Map<String, String> keyByCacheName, List<String> ignored, List<Problem> problems,
            List<String> unmapped) {
        public CacheKeyMapping {
            keyByCacheName = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyByCacheName));
            ignored = List.copyOf(ignored);
            problems = List.copyOf(problems);
            unmapped = List.copyOf(unmapped);
        }
    }

    /**
     * Maps TensorRT cache names to table keys: a blob name goes to the last layer writing that blob,
     * {@code (Unnamed Layer* N) [Type]_output} to the layer TensorRT created as its N-th layer (the
     * N-th parsed Caffe layer when the net has no PReLU). An unnamed entry whose type word does not
     * match that layer is reported: the cache was probably made from another prototxt.
     *
     * @param where location for problems (the cache file)
     */
    public static CacheKeyMapping toTableKeys(Graph graph, Collection<String> cacheNames, String where) {
        Map<String, String> keyOfTensor = new HashMap<>();
        for (TableKey k : NvdlaTableKeys.of(graph)) {
            keyOfTensor.put(k.tensor(), k.key());
        }
        Map<String, TrtName> byName = new HashMap<>();
        Map<Integer, TrtName> unnamedByIndex = new HashMap<>();
        for (TrtName n : of(graph)) {
            byName.put(n.trtName(), n);
        }
        // the default (unnamed) name of every TensorRT layer output, also for outputs that got a blob name
        for (Map.Entry<Integer, TrtName> e : unnamedIndex(graph).entrySet()) {
            unnamedByIndex.put(e.getKey(), e.getValue());
        }
        Map<String, String> mapped = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        for (String name : cacheNames) {
            int before = problems.size();
            mapOne(graph, name, byName, unnamedByIndex, keyOfTensor, where, mapped, ignored, problems);
            if (problems.size() > before) {
                unmapped.add(name);
            }
        }
        return new CacheKeyMapping(mapped, ignored, problems, unmapped);
    }

    private static void mapOne(Graph graph, String name, Map<String, TrtName> byName,
            Map<Integer, TrtName> unnamedByIndex, Map<String, String> keyOfTensor, String where,
            Map<String, String> mapped, List<String> ignored, List<Problem> problems) {
        {
            TrtName hit = byName.get(name);
            Matcher m = UNNAMED.matcher(name);
            if (hit == null && m.matches()) {
                int n = Integer.parseInt(m.group(1));
                TrtName candidate = unnamedByIndex.get(n);
                if (candidate == null) {
                    problems.add(new Problem(where, "'" + name + "': the model has no TensorRT layer " + n
                            + " (TensorRT would create " + unnamedByIndex.size() + " layers for it); was the cache "
                            + "made from another prototxt?"));
                    return;
                }
                String expected = expectedType(graph, candidate);
                if (!normalizeType(expected).equals(normalizeType(m.group(2)))) {
                    problems.add(new Problem(where, "'" + name + "': TensorRT layer " + n + " of this model is "
                            + "layer '" + candidate.layer() + "' [" + expected + "], not [" + m.group(2)
                            + "]; was the cache made from another prototxt?"));
                    return;
                }
                hit = candidate;
            }
            if (hit == null) {
                problems.add(new Problem(where, "'" + name + "' matches no " + (graph.format() == ModelFormat.CAFFE
                        ? "blob, input or unnamed TensorRT layer of the prototxt" : "tensor of the model")));
                return;
            }
            if (hit.tensor() == null) {
                ignored.add(name);
                return;
            }
            String key = keyOfTensor.get(hit.tensor());
            if (key == null) {
                problems.add(new Problem(where, "'" + name + "' is tensor '" + hit.tensor()
                        + "', which has no calibration-table key"));
                return;
            }
            mapped.put(name, key);
        }
    }

    /** TensorRT layer index to the entry for that layer's output (or its slope Constant). */
    private static Map<Integer, TrtName> unnamedIndex(Graph graph) {
        Map<Integer, TrtName> byIndex = new LinkedHashMap<>();
        if (graph.format() != ModelFormat.CAFFE) {
            return byIndex;
        }
        int index = 0;
        for (Layer l : graph.layers()) {
            if (l.op().isDroppedByCaffeParsers()) {
                continue;
            }
            if (l.op() == Op.PRELU) {
                byIndex.put(index++, new TrtName("(Unnamed Layer* " + (index - 1) + ") [Constant]_output", null, l.name()));
            }
            byIndex.put(index, new TrtName("(Unnamed Layer* " + index + ") [" + trtLayerType(l.op()) + "]_output",
                    l.output(), l.name()));
            index++;
        }
        return byIndex;
    }

    private static String expectedType(Graph graph, TrtName n) {
        if (n.tensor() == null) {
            return "Constant";
        }
        return trtLayerType(graph.layer(n.layer()).orElseThrow().op());
    }

    /** "Fully Connected", "FullyConnected" and "SoftMax"/"Softmax" are the same type across versions. */
    private static String normalizeType(String type) {
        return type.replaceAll("[^A-Za-z]", "").toLowerCase(Locale.ROOT);
    }
}
