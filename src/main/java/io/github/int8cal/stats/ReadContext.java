package io.github.int8cal.stats;

import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.Problems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state one reader shares across a file: the problems found so far (all reported at once),
 * the warnings, and the checks every format applies to names and scales.
 */
final class ReadContext {

    final String path;
    final Problems problems = new Problems();
    final List<Problem> warnings = new ArrayList<>();
    private final Map<String, String> firstSeen = new HashMap<>();

    ReadContext(String path) {
        this.path = path;
    }

    void error(String where, String message) {
        problems.add(where, message);
    }

    void warn(String where, String message) {
        warnings.add(new Problem(where, message));
    }

    /**
     * Registers a tensor name; reports duplicates and warns about names that common converters
     * truncate. Returns false for a duplicate (the caller drops the entry).
     */
    boolean acceptName(String name, String where) {
        String earlier = firstSeen.putIfAbsent(name, where);
        if (earlier != null) {
            error(where, "duplicate tensor '" + name + "' (first defined at " + earlier
                    + "); every tensor may appear only once — remove or rename one of them");
            return false;
        }
        if (name.indexOf(':') >= 0) {
            warn(where, "tensor '" + name + "' contains ':'; ONNX Runtime's TensorRT EP and NVDLA's "
                    + "calib_txt_to_json.py split cache lines at the first ':' and will truncate or drop it"
                    + (name.contains(": ") ? ", and ModelOpt's split(\": \") breaks on it" : ""));
        }
        return true;
    }

    /**
     * Checks a float32 scale taken over from the input (TensorRT cache, nvdla_compiler JSON). Returns
     * false when it is unusable. Zero is kept with a warning: TensorRT writes 0 for constant-zero
     * tensors, but nvdla_compiler rejects scale 0.
     */
    boolean acceptScale(String tensor, float scale, String what, String where) {
        if (Float.isNaN(scale)) {
            error(where, "tensor '" + tensor + "': " + what + " is NaN; a scale must be a finite number > 0"
                    + " — recalibrate this tensor or override its amax");
            return false;
        }
        if (Float.isInfinite(scale)) {
            error(where, "tensor '" + tensor + "': " + what + " is " + (scale > 0 ? "+" : "-")
                    + "Infinity; a scale must be a finite number > 0 — recalibrate this tensor or override its amax");
            return false;
        }
        if (scale < 0 || (scale == 0 && Float.floatToRawIntBits(scale) != 0)) {
            error(where, "tensor '" + tensor + "': " + what + " " + scale + " is negative; a scale is amax/127 and"
                    + " must be >= 0");
            return false;
        }
        if (scale == 0) {
            warn(where, "tensor '" + tensor + "': " + what + " is 0 (TensorRT writes 0 for constant-zero tensors);"
                    + " kept, but nvdla_compiler rejects scale 0 — override its amax if NVDLA must run it");
        }
        return true;
    }

    /** Checks a finite-number statistic such as min or max; returns false if it is NaN or infinite. */
    boolean acceptFinite(String tensor, String what, double value, String where) {
        if (Double.isFinite(value)) {
            return true;
        }
        error(where, "tensor '" + tensor + "': " + what + " is " + describe(value)
                + "; expected a finite number — check the collector for overflow or NaN activations");
        return false;
    }

    static String describe(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        return value > 0 ? "+Infinity" : "-Infinity";
    }
}
