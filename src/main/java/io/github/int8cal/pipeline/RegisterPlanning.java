package io.github.int8cal.pipeline;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.emit.LayerFileNames;
import io.github.int8cal.emit.LayerRegisters;
import io.github.int8cal.emit.RegisterEmitter;
import io.github.int8cal.emit.RegisterTraceWriter;
import io.github.int8cal.emit.RegistersJsonWriter;
import io.github.int8cal.emit.ReportWriter;
import io.github.int8cal.fixedpoint.ScaleShift;
import io.github.int8cal.model.Graph;
import io.github.int8cal.plan.Diagnostic;
import io.github.int8cal.plan.DiagnosticCode;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.LayerRequant;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.NetworkPlanOptions;
import io.github.int8cal.plan.NetworkPlanner;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.plan.ScaleOverwrite;
import io.github.int8cal.plan.Severity;
import io.github.int8cal.problems.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The register step of a calibrate run with a model: plan NVDLA's requantization from the final
 * float32 scales ({@link NetworkPlanner}), turn it into register writes ({@link RegisterEmitter})
 * and render {@code registers.json} and every {@code registers/<layer>.cfg} / {@code .dat} in
 * memory, so that nothing is written unless all of it rendered. Diagnostics are logged here, one
 * warning per finding naming the layer; {@code -X} also logs each hardware layer's derivation.
 */
final class RegisterPlanning {

    /**
     * The outcome.
     *
     * @param plan      the network plan in the requested mode
     * @param json      {@code registers.json}, or {@code null} when planning was skipped
     * @param fragments file name inside {@code registers/} -> content, sorted by name (empty when skipped)
     * @param report    the report's {@code registers} section
     * @param layers    graph layer name -> its place in the plan, for the report's layers
     * @param warnings  the WARNING and ERROR diagnostics, as problems for the run's result
     * @param byMode    the plan in each mode (the requested one is {@code plan})
     * @param tensors   graph tensor -> the scale it runs at and what overwrote it, for the report
     */
    record Planned(NetworkPlan plan, String json, SortedMap<String, String> fragments,
            ReportWriter.RegistersReport report, Map<String, ReportWriter.LayerPlan> layers, List<Problem> warnings,
            Map<RequantMode, NetworkPlan> byMode, Map<String, ReportWriter.TensorRun> tensors) {

        boolean skipped() {
            return json == null;
        }
    }

    private RegisterPlanning() {
    }

    /**
     * @param rows               one row per model tensor with its final (unified) scale
     * @param weightlessReported the run already told the user that the model came without weights
     * @param verifying          the INT8 verification will run: the warnings about scales the
     *                           element-wise equalization overwrote wait for its measurements
     *                           ({@link OverwriteWarnings})
     */
    static Planned plan(Graph graph, Map<String, CalibratedTensor> rows, RegisterSettings settings, BuildLog log,
            boolean weightlessReported, boolean verifying) {
        Map<String, Float> scales = new LinkedHashMap<>();
        rows.forEach((tensor, row) -> scales.put(tensor, row.scale()));
        NetworkPlanOptions options = settings.planOptions(graph.format());
        NetworkPlan plan = NetworkPlanner.plan(graph, scales, options);
        if (plan.skipped().isPresent()) {
            if (weightlessReported) {
                log.debug("nvdla-int8: " + plan.skipped().get());
            } else {
                log.info("nvdla-int8: " + plan.skipped().get());
            }
            return new Planned(plan, null, new TreeMap<>(), report(plan, Map.of()), Map.of(), List.of(),
                    Map.of(options.mode(), plan), Map.of());
        }
        // the other mode's figures for comparison (planning is cheap next to calibration)
        Map<RequantMode, NetworkPlan> byMode = new LinkedHashMap<>();
        for (RequantMode m : RequantMode.values()) {
            byMode.put(m, m == options.mode() ? plan : NetworkPlanner.plan(graph, scales, options.withMode(m)));
        }
        List<LayerRegisters> layers = RegisterEmitter.emit(plan);
        String json = RegistersJsonWriter.render(plan, layers);
        SortedMap<String, String> fragments = new TreeMap<>();
        for (LayerRegisters l : layers) {
            if (l.writes().isEmpty()) {
                continue;
            }
            String stem = LayerFileNames.encode(l.name());
            put(fragments, stem + ".cfg", RegisterTraceWriter.cfg(l, plan));
            if (!l.operands().isEmpty()) {
                put(fragments, stem + ".dat", RegisterTraceWriter.dat(l));
            }
        }

        List<Problem> warnings = new ArrayList<>();
        for (Diagnostic d : plan.diagnostics()) {
            Problem p = new Problem("layer '" + d.layer() + "'", d.code()
                    + (d.severity() == Severity.ERROR ? " (error)" : "") + ": " + d.message());
            boolean measuredLater = verifying && d.code() == DiagnosticCode.ELTWISE_SCALE_OVERWRITTEN
                    && d.severity() != Severity.ERROR;
            if (d.severity() == Severity.INFO || measuredLater) {
                log.debug("nvdla-int8: registers: " + p);
            } else {
                log.warn("nvdla-int8: registers: " + p);
                warnings.add(p);
            }
        }
        if (log.isDebugEnabled()) {
            for (HardwareLayerPlan h : plan.layers()) {
                log.debug("nvdla-int8: " + h.explain().stripTrailing());
            }
        }
        Map<String, ReportWriter.LayerPlan> byGraphLayer = layerPlans(plan, byMode);
        long programmed = layers.stream().filter(l -> !l.writes().isEmpty()).count();
        StringBuilder modes = new StringBuilder();
        byMode.forEach((m, p) -> {
            if (m != options.mode()) {
                modes.append(String.format(Locale.ROOT, "; %s mode would give %.3e", label(m), p.worstRelativeError()));
            }
        });
        log.info(String.format(Locale.ROOT, "nvdla-int8: registers for %d of %d hardware layers (%s mode, %s weights,"
                + " %s input, %s): worst |relative error| of a multiplier %.3e%s; %d diagnostics", programmed,
                plan.layers().size(), label(options.mode()), label(options.scope()), options.inputFormat().label(),
                options.hardware().name(), plan.worstRelativeError(), modes, plan.diagnostics().size()));
        return new Planned(plan, json, fragments, report(plan, byMode),
                byGraphLayer, warnings, byMode, tensorRuns(plan));
    }

    /** Every tensor of the plan: its run scale and, in compiler mode, the equalization that set it. */
    static Map<String, ReportWriter.TensorRun> tensorRuns(NetworkPlan plan) {
        Map<String, ReportWriter.TensorRun> out = new LinkedHashMap<>();
        plan.runScales().forEach((tensor, scale) -> {
            ScaleOverwrite o = plan.overwriteOf(tensor).orElse(null);
            out.put(tensor, new ReportWriter.TensorRun(scale, o == null ? null : o.sum(),
                    o == null ? null : o.source()));
        });
        return out;
    }

    private static void put(Map<String, String> fragments, String file, String content) {
        if (fragments.put(file, content) != null) {
            // LayerFileNames is injective; two hardware layers of one name would be a planner bug
            throw new IllegalStateException("two hardware layers write " + file);
        }
    }

    private static ReportWriter.RegistersReport report(NetworkPlan plan, Map<RequantMode, NetworkPlan> byMode) {
        NetworkPlanOptions o = plan.options();
        Map<String, Double> worst = new LinkedHashMap<>();
        byMode.forEach((m, p) -> worst.put(label(m), p.worstRelativeError()));
        List<ReportWriter.DiagnosticEntry> diagnostics = plan.diagnostics().stream()
                .map(d -> new ReportWriter.DiagnosticEntry(d.layer(), d.code().name(), d.severity().name(),
                        d.message()))
                .toList();
        boolean skipped = plan.skipped().isPresent();
        return new ReportWriter.RegistersReport(label(o.mode()), label(o.scope()), o.inputFormat().label(),
                o.hardware().name(), skipped ? null : CalibratePipeline.REGISTERS_FILE, plan.skipped().orElse(null),
                skipped ? null : plan.worstRelativeError(), worst, diagnostics);
    }

    private static Map<String, ReportWriter.LayerPlan> layerPlans(NetworkPlan plan,
            Map<RequantMode, NetworkPlan> byMode) {
        Map<String, ReportWriter.LayerPlan> out = new LinkedHashMap<>();
        for (HardwareLayerPlan h : plan.layers()) {
            Map<String, Double> worst = new LinkedHashMap<>();
            byMode.forEach((m, p) -> worst.put(label(m), p.layer(h.name())
                    .map(HardwareLayerPlan::worstRelativeError).orElse(null)));
            for (String g : h.graphLayers()) {
                ReportWriter.LayerPlan entry = g.equals(h.name())
                        ? new ReportWriter.LayerPlan(h.name(), summary(h.requant()), summary(h.eltwise()), worst,
                                h.explain())
                        : new ReportWriter.LayerPlan(h.name(), null, null, Map.of(), null);
                out.putIfAbsent(g, entry);
            }
        }
        return out;
    }

    private static ReportWriter.Requant summary(LayerRequant r) {
        if (r == null) {
            return null;
        }
        List<ScaleShift> m = r.multipliers();
        boolean programmed = r.effectiveFactors().length > 0;
        return new ReportWriter.Requant(r.layer(), r.kind().name().toLowerCase(Locale.ROOT),
                label(r.mode()), r.idealFactors(),
                programmed ? m.stream().mapToInt(ScaleShift::multiplier).toArray() : new int[0],
                programmed ? m.stream().mapToInt(ScaleShift::shift).toArray() : new int[0],
                r.effectiveFactors(), r.relativeErrors(), r.mantissaBits(), r.worstRelativeError());
    }

    static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
