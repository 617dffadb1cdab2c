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
 *
 * <p>Maven sets the fields directly; the Mojo hands them to the core, which checks them.
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
}
