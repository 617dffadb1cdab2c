package io.github.int8cal.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.fixedpoint.ScaleShift;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.LayerInfo;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.LayerRequant;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.report.ReportWriter;
import io.github.int8cal.report.VerifyJson;
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

    /** The fields each report layer entry gets from the verification, in this order. */
    static final List<String> LAYER_FIELDS = List.of("sqnrDb", "cosine", "maxAbsError", "clippedFraction",
            "caccSaturatedFraction");

    private RunReport() {
    }

    /**
     * @param registers    {@code null} without register planning
     * @param verification {@code null} when the pass did not run
     */
    static ReportWriter.ModelReport model(CalibrateRequest request, Graph graph, ModelCalibration.Unified unified,
            List<String> warnings, RegisterPlanning.Planned registers, VerificationReport verification) {
        Map<String, ReportWriter.LayerPlan> plans = registers == null ? Map.of() : layerPlans(registers);
        List<ReportWriter.LayerEntry> layers = new ArrayList<>();
        for (LayerInfo l : graph.layerReport()) {
            layers.add(new ReportWriter.LayerEntry(l.name(), l.op().name(), l.sourceType(), l.inputs(), l.outputs(),
                    l.outputShape().dims(), scales(l.inputs(), unified.rows()), scales(l.outputs(), unified.rows()),
                    registers == null ? null : plans.get(l.name())));
        }
        List<ReportWriter.ScaleChange> changes = unified.changes().stream()
                .map(c -> new ReportWriter.ScaleChange(c.tensor(), c.oldAmax(), c.newAmax(), c.reason())).toList();
        return new ReportWriter.ModelReport(slashes(request.model()), graph.format().name().toLowerCase(Locale.ROOT),
                graph.name(), graph.format() == ModelFormat.CAFFE && request.weights() != null
                        ? slashes(request.weights()) : null,
                layers, changes, warnings, registers == null ? null : registers(registers),
                verification == null ? null : verification(graph, verification));
    }

    private static ReportWriter.RegistersReport registers(RegisterPlanning.Planned planned) {
        NetworkPlan plan = planned.plan();
        PlanOptions o = plan.options();
        Map<String, Double> worst = new LinkedHashMap<>();
        planned.byMode().forEach((m, p) -> worst.put(m.id(), p.worstRelativeError()));
        List<ReportWriter.DiagnosticEntry> diagnostics = plan.diagnostics().stream()
                .map(d -> new ReportWriter.DiagnosticEntry(d.layer(), d.code().name(), d.severity().name(),
                        d.message()))
                .toList();
        boolean skipped = planned.skipped();
        return new ReportWriter.RegistersReport(o.mode().id(), o.scope().id(), o.inputFormat().id(),
                o.hardware().name(), skipped ? null : CalibratePipeline.REGISTERS_FILE, plan.skipped().orElse(null),
                skipped ? null : plan.worstRelativeError(), worst, diagnostics);
    }

    /** Graph layer name -> its place in the plan; the layer that names a hardware layer gets the details. */
    private static Map<String, ReportWriter.LayerPlan> layerPlans(RegisterPlanning.Planned planned) {
        Map<String, ReportWriter.LayerPlan> out = new LinkedHashMap<>();
        for (HardwareLayerPlan h : planned.plan().layers()) {
            Map<String, Double> worst = new LinkedHashMap<>();
            planned.byMode().forEach((m, p) -> worst.put(m.id(), p.layer(h.name())
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
                r.mode().id(), r.idealFactors(),
                programmed ? m.stream().mapToInt(ScaleShift::multiplier).toArray() : new int[0],
                programmed ? m.stream().mapToInt(ScaleShift::shift).toArray() : new int[0],
                r.effectiveFactors(), r.relativeErrors(), r.mantissaBits(), r.worstRelativeError());
    }

    /**
     * The report sections: {@code "verification"}, {@code "violations"}, and for every graph layer
     * the metrics of the INT8 step that writes one of its outputs (all null when none does).
     */
    private static ReportWriter.VerificationSection verification(Graph graph, VerificationReport report) {
        Map<String, LayerMetrics> byTensor = new LinkedHashMap<>();
        report.layers().forEach(m -> byTensor.putIfAbsent(m.tensor(), m));
        Map<String, ObjectNode> layers = new LinkedHashMap<>();
        for (LayerInfo l : graph.layerReport()) {
            LayerMetrics m = l.outputs().stream().map(byTensor::get).filter(Objects::nonNull).findFirst().orElse(null);
            ObjectNode fields = JsonNodeFactory.instance.objectNode();
            if (m == null) {
                fields.putNull("verifiedStep");
                LAYER_FIELDS.forEach(fields::putNull);
            } else {
                ObjectNode all = VerifyJson.layer(m);
                fields.put("verifiedStep", m.layer());
                LAYER_FIELDS.forEach(f -> fields.set(f, all.get(f)));
            }
            layers.put(l.name(), fields);
        }
        return new ReportWriter.VerificationSection(VerifyJson.verification(report), VerifyJson.violations(report),
                layers);
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
