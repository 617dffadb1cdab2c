package io.github.int8cal.verify;

import io.github.int8cal.model.Shape;

/**
 * A float32 tensor in row-major order of its shape (NCHW for images). The array is shared, not
 * copied: executors hand out fresh arrays and never modify a tensor after creating it.
 */
public record FloatTensor(Shape shape, float[] data) {

    public FloatTensor {
        if (shape.elementCount() != data.length) {
            throw new IllegalArgumentException("tensor of shape " + shape + " needs " + shape.elementCount()
                    + " values, got " + data.length);
        }
    }

    public static FloatTensor zeros(Shape shape) {
        return new FloatTensor(shape, new float[Math.toIntExact(shape.elementCount())]);
    }

    /** The same values seen with another shape of the same element count. */
    public FloatTensor reshape(Shape other) {
        return new FloatTensor(other, data);
    }

    public int size() {
        return data.length;
    }
}
