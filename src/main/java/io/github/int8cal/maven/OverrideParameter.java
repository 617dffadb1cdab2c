package io.github.int8cal.maven;

/**
 * One {@code <override>} element of the {@code calibrate} goal: a per-tensor fixed {@code amax},
 * or another {@code method} / {@code percentile} for that tensor.
 *
 * <pre>{@code
 * <overrides>
 *   <override><tensor>prob</tensor><amax>1.0</amax></override>
 *   <override><tensor>conv1</tensor><method>max</method></override>
 * </overrides>
 * }</pre>
 *
 * <p>Maven sets the fields directly; the Mojo hands them to the core, which checks them.
 */
public class OverrideParameter {

    /** Tensor (or layer / blob) name as it appears in the statistics. */
    String tensor;

    /** Fixed amax for this tensor. */
    Double amax;

    /** Calibration method for this tensor. */
    String method;

    /** Percentile for this tensor when its method is percentile. */
    Double percentile;
}
