package io.github.int8cal.model;

/** What a tensor is in the graph. */
public enum TensorKind {
    /** A network input fed by the user (Caffe input blob, ONNX graph input). */
    INPUT,
    /** A layer output computed at run time; these are the tensors that get calibration scales. */
    ACTIVATION,
    /** Weights, bias, BN statistics and other parameters stored in the model. */
    CONSTANT
}
