package io.github.int8cal.model;

/**
 * One tensor of the graph.
 *
 * @param name       unique name in the graph. ONNX: the ONNX name. Caffe: the blob name for the
 *                   last layer writing a blob, {@code blob@layer} for earlier in-place writers
 *                   (e.g. {@code ip1@ip1} is the InnerProduct output that ReLU {@code relu1} then
 *                   overwrites in blob {@code ip1}).
 * @param sourceName the name the source format uses (ONNX name, Caffe blob name)
 * @param weights    float32 values of a constant; {@code null} for activations and for constants
 *                   of a model read without its weights file
 */
public record Tensor(String name, TensorKind kind, Shape shape, String sourceName, Weights weights) {

    public boolean isActivation() {
        return kind != TensorKind.CONSTANT;
    }
}
