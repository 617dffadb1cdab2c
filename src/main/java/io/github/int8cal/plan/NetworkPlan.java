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
 */
public record NetworkPlan(String graphName, PlanOptions options, List<HardwareLayerPlan> layers,
        Map<String, Float> runScales, List<Diagnostic> networkDiagnostics, List<InputRecipe> inputRecipes,
        Optional<String> skipped) {

    public NetworkPlan {
        layers = List.copyOf(layers);
        runScales = Collections.unmodifiableMap(new LinkedHashMap<>(runScales));
        networkDiagnostics = List.copyOf(networkDiagnostics);
        inputRecipes = List.copyOf(inputRecipes);
    }

    static NetworkPlan skipped(String graphName, PlanOptions options, String reason) {
        return new NetworkPlan(graphName, options, List.of(), Map.of(), List.of(), List.of(), Optional.of(reason));
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
