package io.github.int8cal.pipeline;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.model.Graph;
import io.github.int8cal.nvdla.program.LayerProgram;
import io.github.int8cal.nvdla.program.RegisterEmitter;
import io.github.int8cal.plan.Diagnostic;
import io.github.int8cal.plan.DiagnosticCode;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.NetworkPlanner;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.plan.ScaleOverwrite;
import io.github.int8cal.plan.Severity;
import io.github.int8cal.problems.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plan phase of a calibrate run with a model: plan NVDLA's requantization from the final
 * float32 scales ({@link NetworkPlanner}) and turn it into register writes ({@link RegisterEmitter}).
 * Each WARNING/ERROR diagnostic becomes a warning naming the layer; {@code -X} also logs INFO
 * diagnostics and each hardware layer's derivation.
 */
final class RegisterPlanning {

    /**
     * The outcome.
     *
     * @param plan     the network plan in the requested mode
     * @param programs each hardware layer's register writes, plan order (empty when planning was skipped)
     * @param byMode   the plan in each mode (the requested one and the other, for comparison); empty
     *                 when planning was skipped
     */
    record Planned(NetworkPlan plan, List<LayerProgram> programs, Map<RequantMode, NetworkPlan> byMode) {

        boolean skipped() {
            return plan.skipped().isPresent();
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
    static Planned plan(Graph graph, Map<String, CalibratedTensor> rows, PlanOptions options, BuildLog log,
            Warnings warnings, boolean weightlessReported, boolean verifying) {
        Map<String, Float> scales = new LinkedHashMap<>();
        rows.forEach((tensor, row) -> scales.put(tensor, row.scale()));
        NetworkPlan plan = NetworkPlanner.plan(graph, scales, options);
        if (plan.skipped().isPresent()) {
            if (weightlessReported) {
                log.debug("nvdla-int8: " + plan.skipped().get());
            } else {
                log.info("nvdla-int8: " + plan.skipped().get());
            }
            return new Planned(plan, List.of(), Map.of());
        }
        // the other mode's figures for comparison (planning is cheap next to calibration)
        Map<RequantMode, NetworkPlan> byMode = new LinkedHashMap<>();
        for (RequantMode m : RequantMode.values()) {
            byMode.put(m, m == plan.options().mode() ? plan : NetworkPlanner.plan(graph, scales, options.withMode(m)));
        }
        List<LayerProgram> programs = RegisterEmitter.emit(plan);
        report(plan, log, warnings, verifying);
        Planned planned = new Planned(plan, programs, byMode);
        logSummary(planned, log);
        return planned;
    }

    private static void report(NetworkPlan plan, BuildLog log, Warnings warnings, boolean verifying) {
        for (Diagnostic d : plan.diagnostics()) {
            Problem p = new Problem("layer '" + d.layer() + "'", d.code()
                    + (d.severity() == Severity.ERROR ? " (error)" : "") + ": " + d.message());
            boolean measuredLater = verifying && d.code() == DiagnosticCode.ELTWISE_SCALE_OVERWRITTEN
                    && d.severity() != Severity.ERROR;
            if (d.severity() == Severity.INFO || measuredLater) {
                log.debug("nvdla-int8: registers: " + p);
            } else {
                warnings.registers(p);
            }
        }
        if (log.isDebugEnabled()) {
            for (HardwareLayerPlan h : plan.layers()) {
                log.debug("nvdla-int8: " + h.explain().stripTrailing());
            }
        }
    }

    private static void logSummary(Planned planned, BuildLog log) {
        NetworkPlan plan = planned.plan();
        PlanOptions options = plan.options();
        long programmed = planned.programs().stream().filter(l -> !l.writes().isEmpty()).count();
        StringBuilder modes = new StringBuilder();
        planned.byMode().forEach((m, p) -> {
            if (m != options.mode()) {
                modes.append(String.format(Locale.ROOT, "; %s mode would give %.3e", m.id(), p.worstRelativeError()));
            }
        });
        log.info(String.format(Locale.ROOT, "nvdla-int8: registers for %d of %d hardware layers (%s mode, %s weights,"
                + " %s input, %s): worst |relative error| of a multiplier %.3e%s; %d diagnostics", programmed,
                plan.layers().size(), options.mode().id(), options.scope().id(), options.inputFormat().id(),
                options.hardware().name(), plan.worstRelativeError(), modes, plan.diagnostics().size()));
    }
}
