package io.github.int8cal.verify;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.Shape;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.stats.TensorStatistics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The INT8 verification pass: runs the float32 reference and the INT8 network (as NVDLA runs the
 * plan) and compares every INT8 step's output with the reference, then applies the gate.
 *
 * <p>Samples mode (a sample directory is given): every sample runs end to end through both
 * executors, so errors accumulate as on the device, and classifier outputs get a top-1 agreement.
 * Synthetic mode (no samples): each step runs alone, {@code syntheticSamples} times, on inputs
 * drawn from its input tensors' statistics (seeded {@link SplittableRandom}); the float32 side gets
 * the dequantized int8 input, so a step's error is its own (weights, requantization, clipping), not
 * its input's.
 */
public final class Verifier {

    /** Progress lines start after this long, then come at most this often. */
    static final long PROGRESS_DELAY_NANOS = 3_000_000_000L;

    private Verifier() {
    }

    public static VerificationReport verify(VerifyRequest request) throws ProblemException {
        Graph graph = request.graph();
        if (!graph.hasWeights()) {
            throw new ProblemException(graph.source().toString(), "the INT8 verification needs the weights: give"
                    + " the .caffemodel next to the .prototxt, or skip verification");
        }
        if (request.plan().skipped().isPresent()) {
            throw new ProblemException(graph.source().toString(), "cannot verify: " + request.plan().skipped().get());
        }
        VerifySettings settings = request.settings();
        long t0 = System.nanoTime();
        List<Map<String, FloatTensor>> samples = settings.samples() == null ? List.of()
                : Samples.load(settings.samples(), graph, settings.maxSamples(), request.plan().options().inputMean(),
                        request.plan().options().inputNormalize());
        long loadNanos = System.nanoTime() - t0;
        int threads = settings.effectiveThreads();
        try (Fp32Executor fp32 = new Fp32Executor(graph, threads);
                Int8Executor int8 = new Int8Executor(graph, request.plan(), threads)) {
            checkScales(int8, graph);
            Run run = new Run(request, fp32, int8, t0);
            return settings.samples() == null ? run.synthetic(loadNanos) : run.samples(samples, loadNanos);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(graph.source().toString(), "INT8 verification: " + e.getMessage());
        }
    }

    /** Every tensor an INT8 step writes or reads needs a run scale; list all that lack one. */
    private static void checkScales(Int8Executor int8, Graph graph) throws ProblemException {
        Set<String> missing = new java.util.TreeSet<>();
        for (Int8Step s : int8.steps()) {
            for (String t : concat(s.inputs(), s.output())) {
                Float scale = int8.plan().runScales().get(t);
                if (scale == null || !(scale > 0) || Float.isInfinite(scale)) {
                    missing.add(t);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new ProblemException(graph.source().toString(), "INT8 verification needs a scale for every tensor"
                    + " the network runs in int8; missing or invalid for " + missing + " (calibrate them or add"
                    + " table entries)");
        }
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    private static final class Run {
        private final VerifyRequest request;
        private final Fp32Executor fp32;
        private final Int8Executor int8;
        private final long start;
        private long lastProgress;
        private final Map<String, MetricsAccumulator> metrics = new LinkedHashMap<>();

        Run(VerifyRequest request, Fp32Executor fp32, Int8Executor int8, long start) {
            this.request = request;
            this.fp32 = fp32;
            this.int8 = int8;
            this.start = start;
            this.lastProgress = start;
            for (Int8Step s : int8.steps()) {
                metrics.put(s.name(), new MetricsAccumulator(s, maxCalibrationAmax(s.output()),
                        movedScale(s.output())));
            }
        }

        /** The calibrated scale of a tensor the plan runs at another scale (element-wise overwrite), else null. */
        private Float movedScale(String tensor) {
            Float calibrated = request.plan().calibratedScales().get(tensor);
            Float run = request.plan().runScales().get(tensor);
            return calibrated != null && run != null && calibrated.floatValue() != run.floatValue()
                    && request.plan().overwriteOf(tensor).isPresent() ? calibrated : null;
        }

        private Double maxCalibrationAmax(String tensor) {
            TensorStatistics s = request.statistics().get(tensor);
            if (s != null && s.absMax() > 0 && !s.hasImportedScale()) {
                return s.absMax();
            }
            CalibratedTensor c = request.calibration().get(tensor);
            if (c != null && !c.method().equals("imported") && !c.method().equals("override")) {
                double m = Math.max(Math.abs(c.min()), Math.abs(c.max()));
                return m > 0 ? m : null;
            }
            return null;
        }

        VerificationReport samples(List<Map<String, FloatTensor>> samples, long loadNanos) {
            Set<String> keep = new HashSet<>();
            int8.steps().forEach(s -> keep.add(s.output()));
            Graph graph = request.graph();
            Map<String, long[]> top1 = new LinkedHashMap<>();
            for (String out : graph.outputs()) {
                top1.put(out, new long[2]);
            }
            long fp32Nanos = 0;
            long int8Nanos = 0;
            for (int i = 0; i < samples.size(); i++) {
                long a = System.nanoTime();
                Map<String, FloatTensor> ref = fp32.run(samples.get(i), keep::contains);
                long b = System.nanoTime();
                Map<String, StepResult> res = int8.run(samples.get(i));
                long c = System.nanoTime();
                fp32Nanos += b - a;
                int8Nanos += c - b;
                Map<String, QuantTensor> byTensor = new HashMap<>();
                for (Int8Step s : int8.steps()) {
                    StepResult r = res.get(s.name());
                    metrics.get(s.name()).add(ref.get(s.output()), r);
                    byTensor.put(s.output(), r.output());
                }
                for (String out : graph.outputs()) {
                    if (classifier(graph.tensor(out).shape()) && byTensor.containsKey(out)) {
                        agree(ref.get(out), byTensor.get(out), top1.get(out));
                    }
                }
                progress(String.format(Locale.ROOT, "INT8 verification: sample %d/%d (fp32 %.1f s, int8 %.1f s)",
                        i + 1, samples.size(), fp32Nanos / 1e9, int8Nanos / 1e9));
            }
            List<OutputMetrics> outputs = new ArrayList<>();
            for (String out : graph.outputs()) {
                long[] t = top1.get(out);
                boolean cls = classifier(graph.tensor(out).shape());
                outputs.add(new OutputMetrics(out, cls, t[1], cls && t[1] > 0 ? (double) t[0] / t[1] : null));
            }
            return report(VerificationReport.MODE_SAMPLES, samples.size(), outputs,
                    new VerificationReport.Timings(loadNanos / 1_000_000, fp32Nanos / 1_000_000,
                            int8Nanos / 1_000_000));
        }

        VerificationReport synthetic(long loadNanos) {
            Graph graph = request.graph();
            long fp32Nanos = 0;
            long int8Nanos = 0;
            List<Int8Step> steps = int8.steps();
            for (int index = 0; index < steps.size(); index++) {
                Int8Step step = steps.get(index);
                SplittableRandom random = new SplittableRandom(request.settings().seed() * 0x9E3779B97F4A7C15L + index);
                for (int s = 0; s < request.settings().syntheticSamples(); s++) {
                    if (step.engine() == Int8Step.Engine.INPUT) {
                        FloatTensor x = draw(step.output(), random);
                        StepResult r = int8.quantizeInput(step, x);
                        metrics.get(step.name()).add(x, r);
                        continue;
                    }
                    Map<String, QuantTensor> qenv = new HashMap<>();
                    Map<String, FloatTensor> fenv = new HashMap<>();
                    for (String in : step.inputs()) {
                        FloatTensor x = draw(in, random);
                        byte[] q = new byte[x.size()];
                        float scale = int8.runScale(in);
                        Int8Executor.quantize(x.data(), scale, q);
                        QuantTensor qt = new QuantTensor(x.shape(), q, scale);
                        qenv.put(in, qt);
                        fenv.put(in, qt.dequantize());
                    }
                    long a = System.nanoTime();
                    fp32.runLayers(step.graphLayers(), fenv);
                    long b = System.nanoTime();
                    StepResult r = int8.runStep(step, qenv);
                    long c = System.nanoTime();
                    fp32Nanos += b - a;
                    int8Nanos += c - b;
                    metrics.get(step.name()).add(fenv.get(step.output()), r);
                }
                progress(String.format(Locale.ROOT, "INT8 verification (synthetic): layer %d/%d", index + 1,
                        steps.size()));
            }
            List<OutputMetrics> outputs = graph.outputs().stream()
                    .map(o -> new OutputMetrics(o, classifier(graph.tensor(o).shape()), 0, null)).toList();
            return report(VerificationReport.MODE_SYNTHETIC, request.settings().syntheticSamples(), outputs,
                    new VerificationReport.Timings(loadNanos / 1_000_000, fp32Nanos / 1_000_000,
                            int8Nanos / 1_000_000));
        }

        private FloatTensor draw(String tensor, SplittableRandom random) {
            Shape shape = request.graph().tensor(tensor).shape();
            return SyntheticInputs.draw(shape, request.statistics().get(tensor), int8.runScale(tensor), random);
        }

        private VerificationReport report(String mode, int samples, List<OutputMetrics> outputs,
                VerificationReport.Timings timings) {
            List<LayerMetrics> layers = metrics.values().stream().map(MetricsAccumulator::result).toList();
            GateRules rules = request.settings().rules();
            List<Violation> violations = Gate.evaluate(layers, rules, request.plan(), request.calibration());
            return new VerificationReport(mode, samples, request.settings().seed(), layers, outputs, violations,
                    rules.failOnViolation(), timings);
        }

        private void progress(String message) {
            long now = System.nanoTime();
            if (now - start >= PROGRESS_DELAY_NANOS && now - lastProgress >= PROGRESS_DELAY_NANOS / 2) {
                lastProgress = now;
                request.progress().report(message);
            }
        }
    }

    /** One score vector per batch item: rank >= 2, more than one class, every dimension after the classes 1. */
    static boolean classifier(Shape s) {
        if (s.rank() < 2 || s.dim(1) < 2) {
            return false;
        }
        for (int i = 2; i < s.rank(); i++) {
            if (s.dim(i) != 1) {
                return false;
            }
        }
        return true;
    }

    /** Adds agreements / items of one sample's classifier output; arg-max takes the first index on ties. */
    private static void agree(FloatTensor ref, QuantTensor q, long[] counts) {
        int items = (int) ref.shape().dim(0);
        int classes = ref.size() / items;
        for (int n = 0; n < items; n++) {
            int bestRef = 0;
            int bestQ = 0;
            for (int c = 1; c < classes; c++) {
                if (ref.data()[n * classes + c] > ref.data()[n * classes + bestRef]) {
                    bestRef = c;
                }
                if (q.data()[n * classes + c] > q.data()[n * classes + bestQ]) {
                    bestQ = c;
                }
            }
            counts[0] += bestRef == bestQ ? 1 : 0;
            counts[1]++;
        }
    }
}
