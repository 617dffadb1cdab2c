package io.github.int8cal.fixedpoint;

/**
 * Int8 weights per output channel with their scales ({@code real = q * scale[k]}); for
 * {@link WeightScope#PER_KERNEL} every entry of {@code scales} is the same value.
 * {@code allZero[k]} marks filters whose max-abs is 0 (their scale cannot be derived from them).
 */
public record QuantizedWeights(WeightScope scope, byte[][] values, float[] scales, boolean[] allZero) {

    public int outputChannels() {
        return values.length;
    }
}
