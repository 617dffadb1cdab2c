package io.github.int8cal.calib;

import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.problems.Problems;
import io.github.int8cal.stats.FieldHints;
import io.github.int8cal.stats.Statistics;
import io.github.int8cal.stats.TensorStatistics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Chooses every tensor's amax and float32 scale.
 *
 * <ul>
 * <li>A scale imported from a TensorRT cache or an nvdla_compiler table is kept bit-exactly unless an
 * override names the tensor.</li>
 * <li>Otherwise the tensor's {@link CalibrationChoice} (its override, else the default) applies:
 * a fixed amax, or max / percentile / entropy / mse. Histogram methods work on the tensor's
 * histogram re-binned to 2048 bins of |x| over {@code [0, max(|min|, |max|)]} ({@link AbsHistogram}).
 * A tensor without a histogram is an error, or with {@code allowMaxFallback} gets max and a warning.</li>
 * <li>{@code scale = float32(amax) / 127f} ({@link Int8Scale}).</li>
 * </ul>
 * All problems (unknown override names, missing histograms) are collected and thrown once.
 * Tensors are calibrated in parallel (common fork-join pool); rows, problems and warnings keep the
 * input order, so the result is the same as a sequential run.
 */
public final class Calibrator {

    private final EntropyCalibrator entropy = new EntropyCalibrator();
    private final MseCalibrator mse = new MseCalibrator();

    public CalibrationTable calibrate(Statistics statistics, CalibrationChoice defaults,
            Map<String, CalibrationChoice> overrides, boolean allowMaxFallback) throws ProblemException {
        Problems problems = new Problems();
        List<Problem> warnings = new ArrayList<>(statistics.warnings());
        Set<String> names = new HashSet<>();
        for (TensorStatistics t : statistics.tensors()) {
            names.add(t.name());
        }
        for (String name : overrides.keySet()) {
            if (!names.contains(name)) {
                problems.add("override '" + name + "'", "names a tensor that is not in " + statistics.source()
                        + hint(name, statistics) + "; tensor names are case-sensitive");
            }
        }
        // Tensors are independent: calibrate them in parallel, each with its own problem and warning
        // lists, then merge in input order so that the table and messages match a sequential run.
        List<TensorStatistics> tensors = statistics.tensors();
        Outcome[] outcomes = new Outcome[tensors.size()];
        IntStream.range(0, outcomes.length).parallel().forEach(i -> {
            TensorStatistics t = tensors.get(i);
            CalibrationChoice override = overrides.get(t.name());
            Problems own = new Problems();
            List<Problem> ownWarnings = new ArrayList<>();
            CalibratedTensor row = override == null && t.hasImportedScale()
                    ? imported(t)
                    : calibrate(t, override != null ? override : defaults, allowMaxFallback, own, ownWarnings);
            outcomes[i] = new Outcome(row, own.list(), ownWarnings);
        });
        List<CalibratedTensor> rows = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.row() != null) {
                rows.add(outcome.row());
            }
            problems.addAll(outcome.problems());
            warnings.addAll(outcome.warnings());
        }
        problems.throwIfAny();
        return new CalibrationTable(rows, statistics.trtHeader(), warnings);
    }

    /** One tensor's row (null when it failed) and the messages it raised, in the order raised. */
    private record Outcome(CalibratedTensor row, List<Problem> problems, List<Problem> warnings) {
    }

    private static CalibratedTensor imported(TensorStatistics t) {
        float scale = t.importedScale();
        return new CalibratedTensor(t.name(), t.min(), t.max(), Int8Scale.amaxOf(scale), scale, "imported", null);
    }

    private CalibratedTensor calibrate(TensorStatistics t, CalibrationChoice choice, boolean allowMaxFallback,
            Problems problems, List<Problem> warnings) {
        String label = "tensor '" + t.name() + "'";
        double range = t.absMax();
        AbsHistogram grid = null;
        if (t.hasHistogram() && range > 0) {
            grid = AbsHistogram.of(t.histogram(), range, AbsHistogram.TRT_BINS);
            if (grid.clampedMass() > 0) {
                warnings.add(new Problem(t.where(), label + ": " + fraction(grid.clampedMass() / grid.total())
                        + " of the histogram lies above max(|min|, |max|) = " + range
                        + " and was counted in the top bin; the histogram range and min/max disagree"));
            }
        }
        double amax;
        String method;
        if (choice.fixedAmax() != null) {
            amax = choice.fixedAmax();
            method = "override";
        } else if (choice.method() == CalibrationMethod.MAX) {
            amax = range;
            method = CalibrationMethod.MAX.id();
        } else if (!t.hasHistogram()) {
            if (!allowMaxFallback) {
                problems.add(t.where(), label + ": method " + choice.method().id() + " needs a histogram, but the"
                        + " statistics have none for this tensor; add one, choose method max for it, or set"
                        + " allowMaxFallback to use max with a warning");
                return null;
            }
            amax = range;
            method = "max-fallback";
            warnings.add(new Problem(t.where(), label + ": no histogram for method " + choice.method().id()
                    + "; used max(|min|, |max|) = " + range + " (allowMaxFallback)"));
        } else if (grid == null) {
            amax = 0; // the tensor is constant zero: every method agrees
            method = choice.method().id();
        } else {
            method = choice.method().id();
            switch (choice.method()) {
                case PERCENTILE:
                    amax = new PercentileCalibrator(choice.percentile()).amax(grid);
                    break;
                case ENTROPY:
                    amax = entropy.calibrate(grid).amax();
                    break;
                case MSE:
                    amax = mse.amax(grid);
                    break;
                default:
                    throw new IllegalStateException(choice.method().toString());
            }
        }
        float scale = Int8Scale.fromAmax(amax);
        if (Float.isInfinite(scale)) {
            problems.add(t.where(), label + ": amax " + amax + " does not fit a float32 scale");
            return null;
        }
        if (scale == 0) {
            warnings.add(new Problem(t.where(), label + ": amax is 0 (a constant-zero tensor?); scale 0 is written"
                    + " as TensorRT does, but nvdla_compiler rejects scale 0 — override this tensor's amax"));
        }
        Double clipped = null;
        if (t.hasHistogram()) {
            clipped = grid == null ? 0.0 : grid.fractionAbove(amax);
        }
        return new CalibratedTensor(t.name(), t.min(), t.max(), (double) (float) amax, scale, method, clipped);
    }

    private static String fraction(double f) {
        return String.format(java.util.Locale.ROOT, "%.3g%%", f * 100);
    }

    private static String hint(String name, Statistics statistics) {
        List<String> known = new ArrayList<>();
        for (TensorStatistics t : statistics.tensors()) {
            known.add(t.name());
        }
        String best = FieldHints.closest(name, known);
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }
}
