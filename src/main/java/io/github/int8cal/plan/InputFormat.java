package io.github.int8cal.plan;

import io.github.int8cal.model.ModelFormat;
import java.util.Locale;

/**
 * How the network input reaches the first conv, like nvdla_compiler's {@code --informat}: an image
 * (IMG surface: channels padded to 4, weights quantized before BN folding) or a feature map.
 */
public enum InputFormat {
    IMAGE,
    FEATURE;

    /** Caffe models go through nvdla_compiler, whose INT8 default is an image; ONNX flows feed feature maps. */
    public static InputFormat defaultFor(ModelFormat format) {
        return format == ModelFormat.CAFFE ? IMAGE : FEATURE;
    }

    /** {@code image} or {@code feature} (case-insensitive); the exception names the accepted values. */
    public static InputFormat parse(String text) {
        for (InputFormat f : values()) {
            if (f.name().equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown input format '" + text + "'; use image or feature");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
