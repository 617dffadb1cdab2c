package io.github.int8cal.model;

import java.util.List;
import java.util.Map;

/**
 * One layer (Caffe layer, ONNX node) in file order.
 *
 * @param name       Caffe layer name; ONNX node name, or {@code <op_type>_<index>} when the node has none
 * @param sourceType the type as the file spells it ({@code InnerProduct}, {@code Gemm}, ...), for messages
 * @param inputs     activation tensors read (constants are in {@code weights})
 * @param outputs    activation tensors written (the first is the one tables key by layer name)
 * @param weights    weight role (see {@link Op}) to constant tensor name, in a stable order
 */
public record Layer(
        String name,
        Op op,
        String sourceType,
        List<String> inputs,
        List<String> outputs,
        Map<String, String> weights,
        Attributes attributes) {

    public Layer {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        weights = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(weights));
    }

    /** The first activation input. */
    public String input0() {
        return inputs.get(0);
    }

    public String output() {
        return outputs.get(0);
    }
}
