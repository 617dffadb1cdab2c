package io.github.int8cal.pipeline;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.model.Graph;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.stats.Statistics;
import io.github.int8cal.stats.TensorStatistics;
import io.github.int8cal.verify.Gate;
import io.github.int8cal.verify.LayerMetrics;
import io.github.int8cal.verify.VerificationReport;
import io.github.int8cal.verify.Verifier;
import io.github.int8cal.verify.VerifyProgress;
import io.github.int8cal.verify.VerifyRequest;
import io.github.int8cal.verify.VerifySettings;
import io.github.int8cal.verify.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The verify and gate phases of a calibrate run with a weighted model: run the planned INT8
 * network against float32 ({@link Verifier}), and once every output is written apply the gate
 * ({@link #gate}).
 */
final class ModelVerification {

    private ModelVerification() {
    }

    /**
     * Whether to verify: {@code verify=false} skips with an info line; by default a run verifies
     * whenever registers were planned; {@code verify=true} without registers says why it cannot.
     */
    static boolean wanted(VerifySettings settings, RegisterPlanning.Planned registers, BuildLog log,
            Warnings warnings) {
        if (Boolean.FALSE.equals(settings.enabled())) {
            log.info("nvdla-int8: INT8 verification skipped (verify=false); the build gate is off");
            return false;
        }
        if (registers == null || registers.skipped()) {
            String why = registers == null ? "it needs a model with weights"
                    : "no registers were planned (" + registers.plan().skipped().orElse("") + ")";
            if (Boolean.TRUE.equals(settings.enabled())) {
                warnings.run("INT8 verification (verify=true) cannot run: " + why);
            } else {
                log.debug("nvdla-int8: no INT8 verification: " + why);
            }
            return false;
        }
        return true;
    }

    /**
     * Runs the pass. Statistics and calibration are keyed by graph tensor (as the model's rows are).
     *
     * @throws ProblemException unreadable samples, samples that fit no model input, missing scales
     */
    static VerificationReport run(Graph graph, NetworkPlan plan, Statistics perTensor,
            Map<String, CalibratedTensor> rows, VerifySettings settings, BuildLog log) throws ProblemException {
        VerifyRequest request = request(graph, plan, perTensor, rows, settings,
                message -> log.info("nvdla-int8: " + message));
        log.info("nvdla-int8: INT8 verification of " + plan.layers().size() + " hardware layers against float32, "
                + (settings.samples() == null
                        ? "synthetic mode (" + settings.syntheticSamples() + " draws per layer from the statistics,"
                                + " seed " + settings.seed() + "; set <samples> to a folder of .npy inputs to run"
                                + " real inputs end to end)"
                        : "samples from " + settings.samples()));
        VerificationReport report = Verifier.verify(request);
        VerificationReport.Timings t = report.timings();
        log.info(String.format(Locale.ROOT, "nvdla-int8: INT8 verification (%s, %d %s): %d steps, %d gate"
                + " violation%s; load %.1f s, float32 %.1f s, int8 %.1f s", report.mode(), report.samples(),
                VerificationReport.MODE_SAMPLES.equals(report.mode()) ? "samples" : "draws per layer",
                report.layers().size(), report.violations().size(), report.violations().size() == 1 ? "" : "s",
                t.loadMillis() / 1e3, t.fp32Millis() / 1e3, t.int8Millis() / 1e3));
        if (log.isDebugEnabled()) {
            for (LayerMetrics m : report.layers()) {
                log.debug("nvdla-int8: verified " + m);
            }
        }
        return report;
    }

    /**
     * Verifies another mode's plan with the same settings, for {@link ModeComparison}: progress at
     * debug level, one info line; not gated.
     */
    static VerificationReport runForComparison(Graph graph, NetworkPlan plan, Statistics perTensor,
            Map<String, CalibratedTensor> rows, VerifySettings settings, BuildLog log) throws ProblemException {
        String mode = plan.options().mode().id();
        VerifyRequest request = request(graph, plan, perTensor, rows, settings,
                message -> log.debug("nvdla-int8: (" + mode + " mode) " + message));
        log.info("nvdla-int8: INT8 verification of the same network in " + mode
                + " mode, for the comparison of modes (not gated)");
        return Verifier.verify(request);
    }

    private static VerifyRequest request(Graph graph, NetworkPlan plan, Statistics perTensor,
            Map<String, CalibratedTensor> rows, VerifySettings settings, VerifyProgress progress) {
        Map<String, TensorStatistics> statistics = new LinkedHashMap<>();
        perTensor.tensors().forEach(t -> statistics.put(t.name(), t));
        return new VerifyRequest(settings, graph, plan, statistics, rows, progress);
    }

    /**
     * Applies the gate after every output was written: without violations nothing happens; with
     * {@code failOnViolation} the table is logged and the run fails once naming every violating
     * layer; otherwise each violation is a warning.
     */
    static void gate(VerificationReport report, BuildLog log, Warnings warnings, String junitXml)
            throws ProblemException {
        List<Violation> violations = report.violations();
        if (report.passed()) {
            violations.forEach(warnings::gate);
            return;
        }
        for (String line : Gate.render(violations).split("\n")) {
            log.warn("nvdla-int8: " + line);
        }
        String layers = violations.stream().map(Violation::layer).distinct().map(l -> "'" + l + "'")
                .collect(Collectors.joining(", "));
        throw new ProblemException("INT8 verification", violations.size() + " gate violation"
                + (violations.size() == 1 ? "" : "s") + " in layer" + (layers.contains(",") ? "s " : " ") + layers
                + " (" + violations.stream().map(v -> "'" + v.layer() + "' " + v.rule().id() + " "
                        + v.rule().format(v.value()) + " vs limit " + v.rule().format(v.limit()))
                        .collect(Collectors.joining(", "))
                + "). See the table above, report.json and " + junitXml + "; fix the calibration (the hints say how),"
                + " relax a layer with <layerRules>, or set failOnViolation=false to only warn");
    }
}
