package io.github.int8cal.verify;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.model.Graph;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.stats.TensorStatistics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One verification run: the stage's settings, what to verify (the model with its weights and the
 * plan to run), and what the hints draw on.
 *
 * @param settings    how to run and what the gate demands
 * @param graph       the model with its weights
 * @param plan        the network plan to verify (either requantization mode)
 * @param statistics  calibration statistics by graph tensor name (synthetic draws, hints); may be empty
 * @param calibration calibrated tensors by graph tensor name (hints); may be empty
 * @param progress    progress lines for runs longer than a few seconds
 */
public record VerifyRequest(VerifySettings settings, Graph graph, NetworkPlan plan,
        Map<String, TensorStatistics> statistics, Map<String, CalibratedTensor> calibration, VerifyProgress progress) {

    public VerifyRequest {
        statistics = Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
        calibration = Collections.unmodifiableMap(new LinkedHashMap<>(calibration));
    }

    /** A run without statistics, calibration or progress lines. */
    public static VerifyRequest of(Graph graph, NetworkPlan plan, VerifySettings settings) {
        return new VerifyRequest(settings, graph, plan, Map.of(), Map.of(), VerifyProgress.NONE);
    }
}
