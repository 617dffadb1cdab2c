package io.github.int8cal.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.int8cal.model.Attributes;
import io.github.int8cal.model.Shape;
import io.github.int8cal.model.ShapeInference;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Caffe's average pooling in ceil mode (pooling_layer.cpp): {@code hend = min(hstart + k, H + pad)},
 * the divisor is {@code (hend - hstart) * (wend - wstart)} taken before clipping to the input, so
 * padding counts but the part of a window beyond the padded input does not. Values by hand on
 * {@code x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]}.
 */
class Fp32CaffePoolingTest {

    static final FloatTensor X = new FloatTensor(Shape.of(1, 1, 3, 3), new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});

    static Attributes caffeAve(long k, long s, long p) {
        return Attributes.builder().put("method", "AVE").putLongs("kernel", List.of(k, k))
                .putLongs("stride", List.of(s, s)).putLongs("pads", List.of(p, p, p, p)).put("global", false)
                .put("ceil_mode", true).put("count_include_pad", true).build();
    }

    static float[] pool(Attributes a) {
        Shape out = ShapeInference.infer(io.github.int8cal.model.Op.POOLING, a, List.of(X.shape()));
        return Fp32Executor.pooling(X, a, out).data();
    }

    /** k2 s2 p0, ceil: 2x2 output; the last row/column windows hang off the input: [3,6]/2, [7,8]/2, [9]/1. */
    @Test
    void windowsBeyondTheInputDivideByTheirClippedSize() {
        assertArrayEquals(new float[] {3f, 4.5f, 7.5f, 9f}, pool(caffeAve(2, 2, 0)));
    }

    /**
     * k3 s2 p1, ceil: every window lies inside the padded 5x5 plane, so each divides by 9:
     * (1+2+4+5)/9, (2+3+5+6)/9, (4+5+7+8)/9, (5+6+8+9)/9.
     */
    @Test
    void paddingCountsInTheDivisor() {
        assertArrayEquals(new float[] {12f / 9, 16f / 9, 24f / 9, 28f / 9}, pool(caffeAve(3, 2, 1)), 1e-6f);
    }
}
