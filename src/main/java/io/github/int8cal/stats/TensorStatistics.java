package io.github.int8cal.stats;

/**
 * What the statistics say about one tensor.
 *
 * @param name          the tensor (or layer) name, exactly as written in the input
 * @param min           observed minimum (for imported scales: {@code -amax})
 * @param max           observed maximum (for imported scales: {@code amax})
 * @param histogram     optional histogram, {@code null} when the input has none
 * @param importedScale a float32 scale fixed by the input (TensorRT cache, nvdla_compiler JSON), kept
 *                      bit-exactly so that a cache read and written back is unchanged; {@code null}
 *                      when the scale is to be calibrated
 * @param where         {@code path:line:column} of the tensor's entry, for messages
 */
public record TensorStatistics(String name, double min, double max, Histogram histogram, Float importedScale,
        String where) {

    /** {@code max(|min|, |max|)}: the range a symmetric int8 encoding must cover. */
    public double absMax() {
        return Math.max(Math.abs(min), Math.abs(max));
    }

    public boolean hasHistogram() {
        return histogram != null;
    }

    public boolean hasImportedScale() {
        return importedScale != null;
    }
}
