package io.github.int8cal.maven;

/**
 * One {@code <layerRule>} of the {@code calibrate} goal: gate limits for one layer that replace the
 * global {@code maxSaturation} / {@code minSqnrDb} / {@code minCosine} there (unset ones keep the
 * global limit).
 *
 * <pre>{@code
 * <layerRules>
 *   <layerRule><layer>conv2</layer><maxSaturation>0.05</maxSaturation></layerRule>
 * </layerRules>
 * }</pre>
 */
public class LayerRuleParameter {

    /** Layer (INT8 step, as report.json's violations name it) or its output tensor. */
    String layer;

    /** Largest fraction of the layer's outputs clipped to int8. */
    Double maxSaturation;

    /** Smallest SQNR in dB. */
    Double minSqnrDb;

    /** Smallest cosine similarity to float32. */
    Double minCosine;

    public String getLayer() {
        return layer;
    }

    public void setLayer(String layer) {
        this.layer = layer;
    }

    public Double getMaxSaturation() {
        return maxSaturation;
    }

    public void setMaxSaturation(Double maxSaturation) {
        this.maxSaturation = maxSaturation;
    }

    public Double getMinSqnrDb() {
        return minSqnrDb;
    }

    public void setMinSqnrDb(Double minSqnrDb) {
        this.minSqnrDb = minSqnrDb;
    }

    public Double getMinCosine() {
        return minCosine;
    }

    public void setMinCosine(Double minCosine) {
        this.minCosine = minCosine;
    }
}
