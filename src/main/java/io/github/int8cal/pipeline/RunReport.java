package io.github.int8cal.pipeline;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.fixedpoint.ScaleShift;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.LayerInfo;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.LayerRequant;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.plan.ScaleOverwrite;
import io.github.int8cal.report.ReportModel;
import io.github.int8cal.verify.LayerMetrics;
import io.github.int8cal.verify.VerificationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns what the phases of a run produced into the report's model section: the model, every
 * layer with its scales, its place in the hardware plan and its verification metrics, the scale
 * changes, the warnings, the register summary and the verification results.
 */
final class RunReport {

    private RunReport() {
    }

    /**
     * @param registers    {@code null} without register planning
     * @param verification {@code null} when the pass did not run
     * @param comparison   {@code null} unless compiler and precise mode were compared
     */
    static ReportModel.ModelReport model(CalibrateRequest request, Graph graph, ModelCalibration.Unified unified,
            List<String> warnings, RegisterPlanning.Planned registers, VerificationReport verification,
            ReportModel.ModeComparison comparison) {
        Map<String, ReportModel.LayerPlan> plans = registers == null ? Map.of() : layerPlans(registers);
        List<ReportModel.LayerEntry> layers = new ArrayList<>();
        for (LayerInfo l : graph.layerReport()) {
            layers.add(new ReportModel.LayerEntry(l.name(), l.op().name(), l.sourceType(), l.inputs(), l.outputs(),
                    l.outputShape().dims(), scales(l.inputs(), unified.rows()), scales(l.outputs(), unified.rows()),
                    registers == null ? null : plans.get(l.name())));
        }
        List<ReportModel.ScaleChange> changes = unified.changes().stream()
                .map(c -> new ReportModel.ScaleChange(c.tensor(), c.oldAmax(), c.newAmax(), c.reason())).toList();
        return new ReportModel.ModelReport(slashes(request.model()), graph.format().name().toLowerCase(Locale.ROOT),
                graph.name(), graph.format() == ModelFormat.CAFFE && request.weights() != null
                        ? slashes(request.weights()) : null,
                layers, changes, warnings, registers == null ? null : registers(registers),
                verification == null ? null : verification(graph, verification),
                registers == null || registers.skipped() ? Map.of() : tensorRuns(registers.plan()), comparison);
    }

    /** Every tensor of the plan: its run scale and, in compiler mode, the equalization that set it. */
    private static Map<String, ReportModel.TensorRun> tensorRuns(NetworkPlan plan) {
        Map<String, ReportModel.TensorRun> out = new LinkedHashMap<>();
        plan.runScales().forEach((tensor, scale) -> {
            ScaleOverwrite o = plan.overwriteOf(tensor).orElse(null);
            out.put(tensor, new ReportModel.TensorRun(scale, o == null ? null : o.sum(),
                    o == null ? null : o.source()));
        });
        return out;
    }

    private static ReportModel.RegistersReport registers(RegisterPlanning.Planned planned) {
        NetworkPlan plan = planned.plan();
        PlanOptions o = plan.options();
        Map<String, Double> worst = new LinkedHashMap<>();
        planned.byMode().forEach((m, p) -> worst.put(m.id(), p.worstRelativeError()));
        List<ReportModel.DiagnosticEntry> diagnostics = plan.diagnostics().stream()
                .map(d -> new ReportModel.DiagnosticEntry(d.layer(), d.code().name(), d.severity().name(),
                        d.message()))
                .toList();
        boolean skipped = planned.skipped();
        return new ReportModel.RegistersReport(o.mode().id(), o.scope().id(), o.inputFormat().id(),
                o.hardware().name(), skipped ? null : CalibratePipeline.REGISTERS_FILE, plan.skipped().orElse(null),
                skipped ? null : plan.worstRelativeError(), worst, diagnostics);
    }

    /** Graph layer name -> its place in the plan; the layer that names a hardware layer gets the details. */
    private static Map<String, ReportModel.LayerPlan> layerPlans(RegisterPlanning.Planned planned) {
        Map<String, ReportModel.LayerPlan> out = new LinkedHashMap<>();
        for (HardwareLayerPlan h : planned.plan().layers()) {
            Map<String, Double> worst = new LinkedHashMap<>();
            planned.byMode().forEach((m, p) -> worst.put(m.id(), p.layer(h.name())
                    .map(HardwareLayerPlan::worstRelativeError).orElse(null)));
            for (String g : h.graphLayers()) {
                ReportModel.LayerPlan entry = g.equals(h.name())
                        ? new ReportModel.LayerPlan(h.name(), summary(h.requant()), summary(h.eltwise()), worst,
                                h.explain())
                        : new ReportModel.LayerPlan(h.name(), null, null, Map.of(), null);
                out.putIfAbsent(g, entry);
            }
        }
        return out;
    }

    private static ReportModel.Requant summary(LayerRequant r) {
        if (r == null) {
            return null;
        }
        List<ScaleShift> m = r.multipliers();
        boolean programmed = r.effectiveFactors().length > 0;
        return new ReportModel.Requant(r.layer(), r.kind().name().toLowerCase(Locale.ROOT),
                r.mode().id(), r.idealFactors(),
                programmed ? m.stream().mapToInt(ScaleShift::multiplier).toArray() : new int[0],
                programmed ? m.stream().mapToInt(ScaleShift::shift).toArray() : new int[0],
                r.effectiveFactors(), r.relativeErrors(), r.mantissaBits(), r.worstRelativeError());
    }

    /** The pass's result and, for every graph layer, the INT8 step that writes one of its outputs. */
    private static ReportModel.VerificationSection verification(Graph graph, VerificationReport report) {
        Map<String, LayerMetrics> byTensor = new LinkedHashMap<>();
        report.layers().forEach(m -> byTensor.putIfAbsent(m.tensor(), m));
        Map<String, LayerMetrics> byLayer = new LinkedHashMap<>();
        for (LayerInfo l : graph.layerReport()) {
            byLayer.put(l.name(), l.outputs().stream().map(byTensor::get).filter(Objects::nonNull).findFirst()
                    .orElse(null));
        }
        return new ReportModel.VerificationSection(report, byLayer);
    }

    private static Map<String, Float> scales(List<String> tensors, Map<String, CalibratedTensor> rows) {
        Map<String, Float> m = new LinkedHashMap<>();
        for (String t : tensors) {
            CalibratedTensor row = rows.get(t);
            m.put(t, row == null ? null : row.scale());
        }
        return m;
    }

    private static String slashes(Path p) {
        return p.toString().replace('\\', '/');
    }
}
