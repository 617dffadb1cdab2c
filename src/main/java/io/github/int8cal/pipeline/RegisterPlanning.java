package io.github.int8cal.pipeline;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.emit.LayerFileNames;
import io.github.int8cal.nvdla.program.LayerProgram;
import io.github.int8cal.nvdla.program.RegisterEmitter;
import io.github.int8cal.emit.RegisterTraceWriter;
import io.github.int8cal.report.RegistersJsonWriter;
import io.github.int8cal.report.ReportWriter;
import io.github.int8cal.fixedpoint.ScaleShift;
import io.github.int8cal.model.Graph;
import io.github.int8cal.plan.Diagnostic;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.LayerRequant;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.plan.NetworkPlanner;
import io.github.int8cal.plan.RequantMode;
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
     */
    record Planned(NetworkPlan plan, String json, SortedMap<String, String> fragments,
            ReportWriter.RegistersReport report, Map<String, ReportWriter.LayerPlan> layers, List<Problem> warnings) {

        boolean skipped() {
            return json == null;
        }
    }

    private RegisterPlanning() {
    }

    /**
     * @param rows               one row per model tensor with its final (unified) scale
     * @param weightlessReported the run already told the user that the model came without weights
     */
    static Planned plan(Graph graph, Map<String, CalibratedTensor> rows, PlanOptions settings, BuildLog log,
            boolean weightlessReported) {
        Map<String, Float> scales = new LinkedHashMap<>();
        rows.forEach((tensor, row) -> scales.put(tensor, row.scale()));
        NetworkPlan plan = NetworkPlanner.plan(graph, scales, settings);
        PlanOptions options = plan.options();
        if (plan.skipped().isPresent()) {
            if (weightlessReported) {
                log.debug("nvdla-int8: " + plan.skipped().get());
            } else {
                log.info("nvdla-int8: " + plan.skipped().get());
            }
            return new Planned(plan, null, new TreeMap<>(), report(plan, Map.of()), Map.of(), List.of());
        }
        // the other mode's figures for comparison (planning is cheap next to calibration)
        Map<RequantMode, NetworkPlan> byMode = new LinkedHashMap<>();
        for (RequantMode m : RequantMode.values()) {
            byMode.put(m, m == options.mode() ? plan : NetworkPlanner.plan(graph, scales, options.withMode(m)));
        }
        List<LayerProgram> layers = RegisterEmitter.emit(plan);
        String json = RegistersJsonWriter.render(plan, layers);
        SortedMap<String, String> fragments = new TreeMap<>();
        for (LayerProgram l : layers) {
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
            if (d.severity() == Severity.INFO) {
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
                plan.layers().size(), label(options.mode()), label(options.scope()), options.inputFormat().id(),
                options.hardware().name(), plan.worstRelativeError(), modes, plan.diagnostics().size()));
        return new Planned(plan, json, fragments, report(plan, byMode),
                byGraphLayer, warnings);
    }

    private static void put(Map<String, String> fragments, String file, String content) {
        if (fragments.put(file, content) != null) {
            // LayerFileNames is injective; two hardware layers of one name would be a planner bug
            throw new IllegalStateException("two hardware layers write " + file);
        }
    }

    private static ReportWriter.RegistersReport report(NetworkPlan plan, Map<RequantMode, NetworkPlan> byMode) {
        PlanOptions o = plan.options();
        Map<String, Double> worst = new LinkedHashMap<>();
        byMode.forEach((m, p) -> worst.put(label(m), p.worstRelativeError()));
        List<ReportWriter.DiagnosticEntry> diagnostics = plan.diagnostics().stream()
                .map(d -> new ReportWriter.DiagnosticEntry(d.layer(), d.code().name(), d.severity().name(),
                        d.message()))
                .toList();
        boolean skipped = plan.skipped().isPresent();
        return new ReportWriter.RegistersReport(label(o.mode()), label(o.scope()), o.inputFormat().id(),
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
