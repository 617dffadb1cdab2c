package io.github.int8cal.plan;

import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.problems.Choice;
import io.github.int8cal.problems.Ids;

/**
 * How the network input reaches the first conv, like nvdla_compiler's {@code --informat}: an image
 * (IMG surface: channels padded to 4, weights quantized before BN folding) or a feature map.
 */
public enum InputFormat implements Choice {
    IMAGE,
    FEATURE;

    /** Caffe models go through nvdla_compiler, whose INT8 default is an image; ONNX flows feed feature maps. */
    public static InputFormat defaultFor(ModelFormat format) {
        return format == ModelFormat.CAFFE ? IMAGE : FEATURE;
    }


    public static InputFormat fromId(String text) {
        return Ids.parse(InputFormat.class, text, "input format");
    }
}
