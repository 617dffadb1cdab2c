package io.github.int8cal.model.onnx;

import io.github.int8cal.model.onnx.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.nio.file.Path;

/** Gives tests in other packages the small models of {@link OnnxModels}. */
public final class OnnxModelsAccess {

    public byte[] reluModel() {
        return new OnnxModels().input("x", 1, 4).output("y").ramp("unused", 64)
                .node("Relu", "r", OnnxModels.in("x"), OnnxModels.in("y")).build().toByteArray();
    }

    public Path convWith(TensorProto weight, Path dir) throws IOException {
        return new OnnxModels().input("x", 1, 1, 4, 4).output("y").initializer(weight)
                .node("Conv", "conv", OnnxModels.in("x", weight.getName()), OnnxModels.in("y")).write(dir, "conv.onnx");
    }
}
