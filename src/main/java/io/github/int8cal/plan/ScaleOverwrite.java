package io.github.int8cal.plan;

/**
 * One tensor whose scale nvdla_compiler's element-wise equalization replaced (compiler mode only):
 * the sum made its earlier-created input take the other input's scale. Every reader of the tensor
 * then reads it at {@code runScale}, and its producer requantizes to it (unless the producer never
 * rescales: pooling, concat, a stand-alone ReLU, the network input).
 *
 * @param tensor          the overwritten tensor (the one the compiler's parser binds)
 * @param producer        the layer writing it, or {@code null} for a network input
 * @param sum             the element-wise layer that overwrote it
 * @param source          the sum's other input, whose scale it took
 * @param previousScale   its scale before this overwrite (the table's, or an earlier overwrite's)
 * @param runScale        the scale it was given
 * @param producerRescales true when the producer requantizes to the new scale (an SDP op); false when
 *                        its values stay at the old scale and are misread
 */
public record ScaleOverwrite(String tensor, String producer, String sum, String source, float previousScale,
        float runScale, boolean producerRescales) {

    /** True when the new scale covers a smaller range than the old one: values beyond it clip. */
    public boolean narrows() {
        return runScale < previousScale;
    }
}
