package io.github.int8cal.model;

/** The file format a {@link Graph} was read from; it decides how tensors are named by other tools. */
public enum ModelFormat {
    /** {@code .prototxt} (+ optional {@code .caffemodel}); nvdla_compiler keys tables by layer name. */
    CAFFE,
    /** {@code .onnx}; tools key tensors by their ONNX names. */
    ONNX
}
