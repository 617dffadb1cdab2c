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

    public String getTensor() {
        return tensor;
    }

    public void setTensor(String tensor) {
        this.tensor = tensor;
    }

    public Double getAmax() {
        return amax;
    }

    public void setAmax(Double amax) {
        this.amax = amax;
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }

    public Double getPercentile() {
        return percentile;
    }

    public void setPercentile(Double percentile) {
        this.percentile = percentile;
    }
}
