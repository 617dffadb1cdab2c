package io.github.int8cal.calib;

import io.github.int8cal.problems.CheckedBuilder;
import io.github.int8cal.problems.Problems;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the calibrate stage chooses amax values (docs/calibration.md). Built with {@link #builder()},
 * which starts from the defaults below and checks every value once.
 *
 * @param method           the method for every tensor without an override ({@value #DEFAULT_METHOD})
 * @param percentile       percentile of |x| the percentile method keeps, in (0, 100]
 *                         ({@value #DEFAULT_PERCENTILE})
 * @param allowMaxFallback a histogram method meeting a tensor without a histogram uses its max |x|
 *                         and warns, instead of failing
 * @param overrides        per-tensor exceptions, in the order given
 */
public record CalibrationSettings(CalibrationMethod method, double percentile, boolean allowMaxFallback,
        List<TensorOverride> overrides) {

    public static final String DEFAULT_METHOD = "entropy";
    public static final double DEFAULT_PERCENTILE = PercentileCalibrator.DEFAULT_PERCENTILE;
    public static final boolean DEFAULT_ALLOW_MAX_FALLBACK = false;

    public CalibrationSettings {
        overrides = List.copyOf(overrides);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default settings. */
    public static CalibrationSettings defaults() {
        return builder().build(new Problems());
    }

    /** The default choice for every tensor without an override. */
    public CalibrationChoice defaultChoice() {
        return CalibrationChoice.of(method, percentile);
    }

    /**
     * The overrides by the name they were given: a percentile alone means the percentile method,
     * a method alone keeps the global percentile.
     */
    public Map<String, CalibrationChoice> choices() {
        Map<String, CalibrationChoice> out = new LinkedHashMap<>();
        for (TensorOverride o : overrides) {
            if (o.amax() != null) {
                out.put(o.tensor(), CalibrationChoice.fixed(o.amax()));
            } else {
                CalibrationMethod m = o.method() != null ? o.method() : CalibrationMethod.PERCENTILE;
                out.put(o.tensor(), CalibrationChoice.of(m, o.percentile() != null ? o.percentile() : percentile));
            }
        }
        return out;
    }

    static boolean validPercentile(double p) {
        return p > 0 && p <= 100;
    }

    /** Collects the settings; {@link #build} reports every problem at once. */
    public static final class Builder implements CheckedBuilder<CalibrationSettings> {

        private CalibrationMethod method = CalibrationMethod.fromId(DEFAULT_METHOD);
        private double percentile = DEFAULT_PERCENTILE;
        private boolean allowMaxFallback = DEFAULT_ALLOW_MAX_FALLBACK;
        private final List<TensorOverride> overrides = new ArrayList<>();
        private final Problems parseProblems = new Problems();

        private Builder() {
        }

        public Builder method(CalibrationMethod m) {
            method = m;
            return this;
        }

        /** The method by its id ({@code max}, {@code percentile}, ...); blank keeps the default. */
        public Builder method(String id) {
            if (id != null && !id.isBlank()) {
                method = parseProblems.parse("<method>", id, CalibrationMethod::fromId, method);
            }
            return this;
        }

        public Builder percentile(double p) {
            percentile = p;
            return this;
        }

        public Builder allowMaxFallback(boolean allow) {
            allowMaxFallback = allow;
            return this;
        }

        public Builder override(TensorOverride o) {
            overrides.add(o);
            return this;
        }

        public Builder overrides(List<TensorOverride> all) {
            overrides.addAll(all);
            return this;
        }

        /** An override as configured, its method by id (null: none). */
        public Builder override(String tensor, Double amax, String methodId, Double percentile) {
            CalibrationMethod m = methodId == null || methodId.isBlank() ? null
                    : parseProblems.parse(entry(overrides.size(), tensor) + ": <method>", methodId,
                            CalibrationMethod::fromId, null);
            return override(new TensorOverride(tensor, amax, m, percentile));
        }


        @Override
        public CalibrationSettings build(Problems problems) {
            problems.addAll(parseProblems.list());
            if (!validPercentile(percentile)) {
                problems.add("<percentile>", percentile + " is outside (0, 100]; use e.g. " + DEFAULT_PERCENTILE);
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < overrides.size(); i++) {
                checkOverride(i, overrides.get(i), seen, problems);
            }
            return new CalibrationSettings(method, percentile, allowMaxFallback, overrides);
        }

        private static void checkOverride(int index, TensorOverride o, Set<String> seen, Problems problems) {
            if (o.tensor() == null || o.tensor().isBlank()) {
                problems.add(entry(index, null), "<tensor> is required");
                return;
            }
            String where = entry(index, o.tensor());
            if (!seen.add(o.tensor())) {
                problems.add(where, "the tensor is overridden twice; keep one override");
            } else if (o.amax() == null && o.method() == null && o.percentile() == null) {
                problems.add(where, "set <amax>, <method> or <percentile>");
            } else if (o.amax() != null && (o.method() != null || o.percentile() != null)) {
                problems.add(where, "give either a fixed <amax> or a <method>/<percentile>, not both");
            } else if (o.amax() != null && !(Double.isFinite(o.amax()) && o.amax() >= 0)) {
                problems.add(where, "<amax> " + o.amax() + " must be a finite number >= 0");
            } else if (o.percentile() != null && !validPercentile(o.percentile())) {
                problems.add(where, "<percentile> " + o.percentile() + " is outside (0, 100]");
            } else if (o.percentile() != null && o.method() != null && o.method() != CalibrationMethod.PERCENTILE) {
                problems.add(where, "a <percentile> only applies to method percentile, not " + o.method().id());
            }
        }

        private static String entry(int index, String tensor) {
            return "<overrides> entry " + (index + 1) + (tensor == null || tensor.isBlank() ? "" : " (" + tensor + ")");
        }
    }
}
