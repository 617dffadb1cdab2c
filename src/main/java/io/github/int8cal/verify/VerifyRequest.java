package io.github.int8cal.verify;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.model.Graph;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.stats.TensorStatistics;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One verification run.
 *
 * @param graph            the model with its weights
 * @param plan             the network plan to verify (either requantization mode)
 * @param samples          directory of {@code .npy} samples ({@link Samples}), or null for synthetic mode
 * @param maxSamples       at most this many samples from the directory ({@code <= 0}: all)
 * @param syntheticSamples draws per layer in synthetic mode (each a full tensor)
 * @param threads          worker threads (default: all cores)
 * @param seed             seed of the synthetic draws
 * @param rules            the gate
 * @param statistics       calibration statistics by graph tensor name (synthetic draws, hints); may be empty
 * @param calibration      calibrated tensors by graph tensor name (hints); may be empty
 * @param progress         progress lines for runs longer than a few seconds
 */
public record VerifyRequest(Graph graph, NetworkPlan plan, Path samples, int maxSamples, int syntheticSamples,
        int threads, long seed, GateRules rules, Map<String, TensorStatistics> statistics,
        Map<String, CalibratedTensor> calibration, VerifyProgress progress) {

    public static final int DEFAULT_MAX_SAMPLES = 16;
    public static final int DEFAULT_SYNTHETIC_SAMPLES = 4;
    public static final long DEFAULT_SEED = 1;

    public VerifyRequest {
        statistics = Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
        calibration = Collections.unmodifiableMap(new LinkedHashMap<>(calibration));
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        if (syntheticSamples < 1) {
            throw new IllegalArgumentException("syntheticSamples must be >= 1");
        }
    }

    /** Defaults: samples from {@code samples} (null: synthetic), all cores, seed 1, default gate. */
    public static VerifyRequest of(Graph graph, NetworkPlan plan, Path samples) {
        return new VerifyRequest(graph, plan, samples, DEFAULT_MAX_SAMPLES, DEFAULT_SYNTHETIC_SAMPLES,
                Runtime.getRuntime().availableProcessors(), DEFAULT_SEED, GateRules.defaults(), Map.of(), Map.of(),
                VerifyProgress.NONE);
    }

    public VerifyRequest withRules(GateRules r) {
        return new VerifyRequest(graph, plan, samples, maxSamples, syntheticSamples, threads, seed, r, statistics,
                calibration, progress);
    }

    public VerifyRequest withThreads(int t) {
        return new VerifyRequest(graph, plan, samples, maxSamples, syntheticSamples, t, seed, rules, statistics,
                calibration, progress);
    }

    public VerifyRequest withSeed(long s) {
        return new VerifyRequest(graph, plan, samples, maxSamples, syntheticSamples, threads, s, rules, statistics,
                calibration, progress);
    }

    public VerifyRequest withMaxSamples(int n) {
        return new VerifyRequest(graph, plan, samples, n, syntheticSamples, threads, seed, rules, statistics,
                calibration, progress);
    }

    public VerifyRequest withSyntheticSamples(int n) {
        return new VerifyRequest(graph, plan, samples, maxSamples, n, threads, seed, rules, statistics, calibration,
                progress);
    }

    public VerifyRequest withStatistics(Map<String, TensorStatistics> s) {
        return new VerifyRequest(graph, plan, samples, maxSamples, syntheticSamples, threads, seed, rules, s,
                calibration, progress);
    }

    public VerifyRequest withCalibration(Map<String, CalibratedTensor> c) {
        return new VerifyRequest(graph, plan, samples, maxSamples, syntheticSamples, threads, seed, rules, statistics,
                c, progress);
    }

    public VerifyRequest withProgress(VerifyProgress p) {
        return new VerifyRequest(graph, plan, samples, maxSamples, syntheticSamples, threads, seed, rules, statistics,
                calibration, p);
    }
}
