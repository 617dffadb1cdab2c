package io.github.int8cal.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys nvdla_compiler looks up in {@code --calibtable}, in its order
 * (docs/nvdla-compiler.md#table-keys-and-tensorrt-names; ParseTest.cpp): first every network input by input blob name,
 * then every layer its Caffe parser creates, by Caffe layer name, in prototxt order. A missing key aborts the compiler,
 * so the list is complete; Dropout, Flatten and Input create no layer and get no key.
 *
 * <p>For an ONNX graph (nvdla_compiler has no ONNX front end; ONNC-style flows key by tensor) the
 * keys are the input names, then each layer's first output tensor name.
 */
public final class NvdlaTableKeys {

    private NvdlaTableKeys() {
    }

    public static List<TableKey> of(Graph graph) {
        List<TableKey> keys = new ArrayList<>();
        for (String input : graph.inputs()) {
            keys.add(new TableKey(graph.tensor(input).sourceName(), input, null));
        }
        for (Layer layer : graph.layers()) {
            if (graph.format() == ModelFormat.CAFFE) {
                if (!layer.op().isDroppedByCaffeParsers()) {
                    keys.add(new TableKey(layer.name(), layer.output(), layer.name()));
                }
            } else {
                keys.add(new TableKey(layer.output(), layer.output(), layer.name()));
            }
        }
        return keys;
    }
}
