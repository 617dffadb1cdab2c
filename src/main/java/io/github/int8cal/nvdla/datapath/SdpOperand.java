package io.github.int8cal.nvdla.datapath;

/**
 * Where an SDP ALU or multiplier operand comes from (docs/nvdla-arithmetic.md#sdp-data-flow-and-operands): the register
 * value, one value per output channel (PER_KERNEL), or one value per element (PER_ELEMENT, planar
 * {@code [lane][pixel]}). Memory operands are int8 or int16, already sign-extended.
 */
public sealed interface SdpOperand {

    /** The operand for channel lane {@code lane} at pixel {@code pixel} (= y * width + x). */
    long value(int lane, int pixel);

    /** True for a register operand (EW converts only memory operands). */
    default boolean fromRegister() {
        return false;
    }

    static SdpOperand register(long value) {
        return new Register(value);
    }

    /** The register value, used for every element. */
    record Register(long constant) implements SdpOperand {
        @Override
        public long value(int lane, int pixel) {
            return constant;
        }

        @Override
        public boolean fromRegister() {
            return true;
        }
    }

    /** One value per channel lane. */
    record PerKernel(int[] values) implements SdpOperand {
        @Override
        public long value(int lane, int pixel) {
            return values[lane];
        }
    }

    /** One value per element, planar {@code [lane][pixel]}. */
    record PerElement(int[] values, int pixels) implements SdpOperand {
        @Override
        public long value(int lane, int pixel) {
            return values[lane * pixels + pixel];
        }
    }
}
