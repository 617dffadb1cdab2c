package io.github.int8cal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeInferenceTest {

    @Test
    void ceilModeDropsAWindowThatWouldStartInThePadding() {
        // Caffe: ceil((6 + 2 - 1) / 2) + 1 = 5, but (5 - 1) * 2 = 8 >= 6 + 1, so 4
        assertEquals(4, ShapeInference.poolingOutputSize(6, 1, 2, 1, 1, true));
        // without padding no window is dropped: ceil((6 - 3) / 2) + 1 = 3
        assertEquals(3, ShapeInference.poolingOutputSize(6, 3, 2, 0, 0, true));
        assertEquals(2, ShapeInference.poolingOutputSize(6, 3, 2, 0, 0, false));
    }

    @Test
    void convolutionSizeUsesTheDilatedKernel() {
        // extent 2*(3-1)+1 = 5: (10 + 0 - 5) / 1 + 1 = 6
        assertEquals(6, ShapeInference.convolutionOutputSize(10, 3, 1, 0, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> ShapeInference.convolutionOutputSize(2, 5, 1, 0, 0, 1));
    }

    @Test
    void reshapeCopiesZerosAndInfersMinusOne() {
        assertEquals(Shape.of(2, 2, 4), ShapeInference.reshape(Shape.of(2, 8), List.of(0L, 2L, -1L), 0, -1, false));
        // Caffe axis/num_axes: replace only axis 1 of [2, 8] by [2, 4]
        assertEquals(Shape.of(2, 2, 4), ShapeInference.reshape(Shape.of(2, 8), List.of(2L, 4L), 1, 1, false));
        assertThrows(IllegalArgumentException.class,
                () -> ShapeInference.reshape(Shape.of(2, 8), List.of(3L, -1L), 0, -1, false));
    }

    @Test
    void concatAddsTheAxisAndChecksTheRest() {
        assertEquals(Shape.of(1, 7, 4, 4), ShapeInference.concat(List.of(Shape.of(1, 3, 4, 4), Shape.of(1, 4, 4, 4)), 1));
        assertThrows(IllegalArgumentException.class,
                () -> ShapeInference.concat(List.of(Shape.of(1, 3, 4, 4), Shape.of(1, 4, 5, 4)), 1));
    }
}
