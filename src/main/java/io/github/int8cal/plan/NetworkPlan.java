package io.github.int8cal.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A network planned for NVDLA: one entry per hardware layer in graph order, the scale every
 * tensor really runs at (after element-wise equalization), network-level findings and the input
 * recipe. {@code skipped} explains why nothing was planned (e.g. a Caffe model without weights).
 *
 * @param runScales        tensor -> the scale it runs at (what producers requantize to and readers read)
 * @param calibratedScales tensor -> the scale the calibration gave it (the table's), where it has one
 * @param overwrites       every scale nvdla_compiler's element-wise equalization replaced, in the
 *                         order it did so (compiler mode; empty in precise mode)
 */
public record NetworkPlan(String graphName, PlanOptions options, List<HardwareLayerPlan> layers,
        Map<String, Float> runScales, List<Diagnostic> networkDiagnostics, List<InputRecipe> inputRecipes,
        Optional<String> skipped, Map<String, Float> calibratedScales, List<ScaleOverwrite> overwrites) {

    public NetworkPlan {
        layers = List.copyOf(layers);
        runScales = Collections.unmodifiableMap(new LinkedHashMap<>(runScales));
        networkDiagnostics = List.copyOf(networkDiagnostics);
        inputRecipes = List.copyOf(inputRecipes);
        calibratedScales = Collections.unmodifiableMap(new LinkedHashMap<>(calibratedScales));
        overwrites = List.copyOf(overwrites);
    }

    /** A plan without calibrated scales or overwrites (tests, hand-made plans). */
    public NetworkPlan(String graphName, PlanOptions options, List<HardwareLayerPlan> layers,
            Map<String, Float> runScales, List<Diagnostic> networkDiagnostics, List<InputRecipe> inputRecipes,
            Optional<String> skipped) {
        this(graphName, options, layers, runScales, networkDiagnostics, inputRecipes, skipped, Map.of(), List.of());
    }

    static NetworkPlan skipped(String graphName, PlanOptions options, String reason) {
        return new NetworkPlan(graphName, options, List.of(), Map.of(), List.of(), List.of(), Optional.of(reason));
    }

    /** The last overwrite of {@code tensor} (the one that set its run scale), if any. */
    public Optional<ScaleOverwrite> overwriteOf(String tensor) {
        Optional<ScaleOverwrite> last = Optional.empty();
        for (ScaleOverwrite o : overwrites) {
            if (o.tensor().equals(tensor)) {
                last = Optional.of(o);
            }
        }
        return last;
    }

    /** Every finding, network-level first, then per hardware layer in order. */
    public List<Diagnostic> diagnostics() {
        List<Diagnostic> all = new ArrayList<>(networkDiagnostics);
        layers.forEach(l -> all.addAll(l.diagnostics()));
        return all;
    }

    public Optional<HardwareLayerPlan> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** Largest |relative error| of any multiplier in the network. */
    public double worstRelativeError() {
        return layers.stream().mapToDouble(HardwareLayerPlan::worstRelativeError).max().orElse(0);
    }
}
