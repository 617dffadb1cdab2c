package io.github.int8cal.pipeline;

import io.github.int8cal.model.Graph;
import io.github.int8cal.model.Layer;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.ScaleOverwrite;
import io.github.int8cal.problems.Problem;
import io.github.int8cal.verify.Gate;
import io.github.int8cal.verify.GateRule;
import io.github.int8cal.verify.LayerMetrics;
import io.github.int8cal.verify.VerificationReport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One warning per tensor whose scale nvdla_compiler's element-wise equalization replaced, naming
 * the tensor's producer, the sum and the tensor whose scale it took, with what the INT8
 * verification measured at the step writing it: the fraction of outputs that clip (and how many
 * would at the calibrated scale), or the SQNR when the producer never rescales and its readers
 * misread its values.
 */
final class OverwriteWarnings {

    private OverwriteWarnings() {
    }

    /** @param report the verification of {@code plan}, or null when none ran */
    static List<Problem> describe(Graph graph, NetworkPlan plan, VerificationReport report) {
        Set<String> tensors = new LinkedHashSet<>();
        plan.overwrites().forEach(o -> tensors.add(o.tensor()));
        List<Problem> out = new ArrayList<>();
        for (String tensor : tensors) {
            ScaleOverwrite o = plan.overwriteOf(tensor).orElseThrow();
            Float calibrated = plan.calibratedScales().get(tensor);
            float from = calibrated != null ? calibrated : o.previousScale();
            Optional<LayerMetrics> m = report == null ? Optional.empty()
                    : report.layers().stream().filter(l -> l.tensor().equals(tensor)).findFirst();
            StringBuilder sb = new StringBuilder(what(graph, o, tensor, from));
            if (!o.producerRescales()) {
                sb.append(misread(graph, plan, o, from, m));
            } else if (m.isPresent() && m.get().clippedFraction() != null) {
                sb.append(measured(m.get(), from, o.runScale()));
            } else {
                sb.append(unmeasured(from, o.runScale()));
            }
            sb.append(". Precise mode keeps each sum input at its calibrated scale; unifyScales=true gives both sum"
                    + " inputs the larger amax");
            out.add(new Problem("layer '" + o.sum() + "'", sb.toString()));
        }
        return out;
    }

    /** "relu 'x' calibrated amax A runs at amax B because sum 's' takes 't''s scale". */
    private static String what(Graph graph, ScaleOverwrite o, String tensor, float from) {
        String producer = o.producer() == null ? "network input '" + tensor + "'"
                : graph.layer(o.producer()).map(OverwriteWarnings::describe).orElse("'" + o.producer() + "'")
                        + (o.producer().equals(tensor) ? "" : " (tensor '" + tensor + "')");
        return String.format(Locale.ROOT, "%s calibrated amax %s runs at amax %s because sum '%s' takes '%s''s"
                + " scale", producer, Gate.num(127.0 * from), Gate.num(127.0 * o.runScale()), o.sum(), o.source());
    }

    /** A producer that never rescales: its values keep the scale they arrive with, readers misread them. */
    private static String misread(Graph graph, NetworkPlan plan, ScaleOverwrite o, float from,
            Optional<LayerMetrics> m) {
        // the values keep the scale they arrive with: the producer's input's, else the calibrated one
        Float values = o.producer() == null ? null : graph.layer(o.producer())
                .filter(l -> !l.inputs().isEmpty()).map(l -> plan.runScales().get(l.input0())).orElse(null);
        float actual = values != null ? values : from;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, ", but its producer never rescales: its"
                + " values stay at scale %s and every reader misreads them by a factor %s", Gate.num(actual),
                Gate.num((double) actual / o.runScale())));
        m.ifPresent(x -> sb.append(x.sqnrDb() == null ? "" : String.format(Locale.ROOT,
                " (SQNR %.1f dB at '%s')", x.sqnrDb(), x.layer())));
        return sb.toString();
    }

    /** What the verification measured at the step writing the tensor. */
    private static String measured(LayerMetrics x, float from, float to) {
        StringBuilder sb = new StringBuilder();
        if (to < from) {
            sb.append(String.format(Locale.ROOT, ": %s of its outputs clip", GateRule.percent(x.clippedFraction())));
            if (x.calibratedClippedFraction() != null) {
                sb.append(String.format(Locale.ROOT, " (%s at its calibrated scale)",
                        GateRule.percent(x.calibratedClippedFraction())));
            }
        } else {
            sb.append(String.format(Locale.ROOT, ": nothing clips, but its steps are %s times coarser",
                    Gate.num((double) to / from)));
        }
        if (x.sqnrDb() != null) {
            sb.append(String.format(Locale.ROOT, "; SQNR %.1f dB at '%s'", x.sqnrDb(), x.layer()));
        }
        return sb.toString();
    }

    private static String unmeasured(float from, float to) {
        return to < from ? ": values beyond amax " + Gate.num(127.0 * to) + " clip (not measured: no INT8"
                + " verification)" : ": coarser steps, no clipping";
    }

    /** "relu 'x'" from the layer's source type. */
    private static String describe(Layer l) {
        return l.sourceType().toLowerCase(Locale.ROOT) + " '" + l.name() + "'";
    }
}
