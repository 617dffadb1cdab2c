package io.github.int8cal.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model read from ONNX or Caffe: tensors and layers in file order (which is a topological order:
 * both formats require producers before consumers and the readers check it). Immutable.
 */
public final class Graph {

    private final String name;
    private final ModelFormat format;
    private final Path source;
    private final boolean hasWeights;
    private final Map<String, Tensor> tensors;
    private final List<Layer> layers;
    private final List<String> inputs;
    private final List<String> outputs;
    private final List<String> warnings;
    private final Map<String, Layer> producers = new HashMap<>();
    private final Map<String, List<Layer>> consumers = new HashMap<>();
    private final Map<String, Layer> layersByName = new LinkedHashMap<>();

    public Graph(String name, ModelFormat format, Path source, boolean hasWeights, Map<String, Tensor> tensors,
            List<Layer> layers, List<String> inputs, List<String> outputs, List<String> warnings) {
        this.name = name;
        this.format = format;
        this.source = source;
        this.hasWeights = hasWeights;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.layers = List.copyOf(layers);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.warnings = List.copyOf(warnings);
        for (Layer layer : this.layers) {
            layersByName.putIfAbsent(layer.name(), layer);
            for (String out : layer.outputs()) {
                producers.put(out, layer);
            }
            for (String in : layer.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(layer);
            }
        }
    }

    public String name() {
        return name;
    }

    public ModelFormat format() {
        return format;
    }

    /** The model file (prototxt or onnx). */
    public Path source() {
        return source;
    }

    /** False for a Caffe prototxt read without its caffemodel: constants then have shapes but no values. */
    public boolean hasWeights() {
        return hasWeights;
    }

    /** All tensors by name, inputs first, then in the order layers create them (constants included). */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(String tensorName) {
        Tensor t = tensors.get(tensorName);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + tensorName + "' in " + name);
        }
        return t;
    }

    public List<Layer> layers() {
        return layers;
    }

    public Optional<Layer> layer(String layerName) {
        return Optional.ofNullable(layersByName.get(layerName));
    }

    /** Network input tensors in declaration order. */
    public List<String> inputs() {
        return inputs;
    }

    /** Tensors no layer reads (ONNX: the declared graph outputs). */
    public List<String> outputs() {
        return outputs;
    }

    /** Things the reader accepted but the user should know (e.g. a symbolic batch dimension set to 1). */
    public List<String> warnings() {
        return warnings;
    }

    /** The layer writing {@code tensorName}; empty for constants and for inputs without an Input layer. */
    public Optional<Layer> producer(String tensorName) {
        return Optional.ofNullable(producers.get(tensorName));
    }

    /** Layers reading {@code tensorName} as an activation input, in layer order. */
    public List<Layer> consumers(String tensorName) {
        return List.copyOf(consumers.getOrDefault(tensorName, List.of()));
    }

    /** Activation tensors (inputs and layer outputs) in graph order. */
    public List<Tensor> activations() {
        return tensors.values().stream().filter(Tensor::isActivation).toList();
    }

    /** Report rows: name, op, inputs, outputs, first output's shape. */
    public List<LayerInfo> layerReport() {
        List<LayerInfo> rows = new ArrayList<>();
        for (Layer l : layers) {
            rows.add(new LayerInfo(l.name(), l.op(), l.sourceType(), l.inputs(), l.outputs(),
                    tensor(l.output()).shape()));
        }
        return rows;
    }
}
