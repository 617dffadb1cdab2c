package io.github.int8cal.verify;

import io.github.int8cal.model.Shape;

/**
 * An int8 tensor as NVDLA memory holds it (row-major in the graph shape, NCHW), with the scale its
 * readers interpret it at ({@code real = q * scale}, the tensor's run scale in the plan).
 */
public record QuantTensor(Shape shape, byte[] data, float scale) {

    public QuantTensor {
        if (shape.elementCount() != data.length) {
            throw new IllegalArgumentException("int8 tensor of shape " + shape + " needs " + shape.elementCount()
                    + " values, got " + data.length);
        }
    }

    /** {@code q * scale} in float32 (the product of an int8 and a float32 is exact in float32 up to 2^24). */
    public FloatTensor dequantize() {
        float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i] * scale;
        }
        return new FloatTensor(shape, out);
    }

    public QuantTensor withScale(float s) {
        return new QuantTensor(shape, data, s);
    }

    public QuantTensor reshape(Shape other) {
        return new QuantTensor(other, data, scale);
    }
}
