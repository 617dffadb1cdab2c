package io.github.int8cal.model;

import java.util.List;

/** One row of the layer report: what a layer is and what it produces. */
public record LayerInfo(String name, Op op, String sourceType, List<String> inputs, List<String> outputs,
        Shape outputShape) {

    public LayerInfo {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
