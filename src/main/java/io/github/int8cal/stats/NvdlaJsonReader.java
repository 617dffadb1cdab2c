package io.github.int8cal.stats;

import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.stats.LocatedJson.Member;
import io.github.int8cal.stats.LocatedJson.Node;
import io.github.int8cal.stats.LocatedJson.NumberNode;
import io.github.int8cal.stats.LocatedJson.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the calibration JSON of {@code nvdla_compiler --calibtable}:
 * {@code {"layer": {"scale": s, "min": 0, "max": 0, "offset": 0}, ...}}.
 *
 * <p>As the compiler does (docs/nvdla-compiler.md#the-calibration-table): {@code scale} wins and is read as float32
 * ({@code GetFloat()}); without it both {@code min} and {@code max} are required and the scale is
 * {@code max(|min|, |max|)/127} computed in float32. Either way the scale is fixed (kept bit-exactly
 * unless overridden). {@code offset} is never read by the compiler; a non-zero one is warned about.
 */
public final class NvdlaJsonReader {

    static final List<String> FIELDS = List.of("scale", "min", "max", "offset");

    public Statistics read(Path path, String text) throws ProblemException {
        return read(path, LocatedJson.parse(text, path.toString()));
    }

    Statistics read(Path path, Node root) throws ProblemException {
        return TensorKeyedObject.read(path, root, StatisticsFormat.NVDLA_JSON,
                "a JSON object keyed by layer name, {\"conv1\": {\"scale\": 0.0137, ...}}",
                "the calibration table has no layers", NvdlaJsonReader::entry);
    }

    private static TensorStatistics entry(ReadContext ctx, Member m) {
        String name = m.name();
        String label = "tensor '" + name + "'";
        String where = m.namePos().in(ctx.path);
        if (!(m.value() instanceof ObjectNode obj)) {
            ctx.error(m.value().pos().in(ctx.path), label + ": " + JsonFields.typeError(m.value(),
                    "an object {\"scale\": s, \"min\": 0, \"max\": 0, \"offset\": 0}"));
            return null;
        }
        if (name.isEmpty()) {
            ctx.error(where, "empty layer name");
            return null;
        }
        boolean unique = ctx.acceptName(name, where);
        int before = ctx.problems.list().size();
        JsonFields.check(ctx, obj, FIELDS, List.of(), label);
        NumberNode scale = JsonFields.number(ctx, obj.first("scale"), label);
        NumberNode min = JsonFields.number(ctx, obj.first("min"), label);
        NumberNode max = JsonFields.number(ctx, obj.first("max"), label);
        NumberNode offset = JsonFields.number(ctx, obj.first("offset"), label);
        if (ctx.problems.list().size() != before || !unique) {
            return null;
        }
        if (offset != null && offset.value() != 0) {
            ctx.warn(offset.pos().in(ctx.path), label + ": offset " + offset.text()
                    + " is ignored (nvdla_compiler never reads it; scaling is symmetric)");
        }
        float s;
        String scaleWhere;
        if (obj.first("scale") != null) {
            scaleWhere = scale.pos().in(ctx.path);
            if (!ctx.acceptFinite(name, "scale", scale.value(), scaleWhere)) {
                return null;
            }
            s = (float) scale.value();
            if (!ctx.acceptScale(name, s, "scale " + scale.text(), scaleWhere)) {
                return null;
            }
        } else {
            if (min == null || max == null) {
                ctx.error(obj.pos().in(ctx.path), label + ": give \"scale\" (amax/127), or both \"min\" and"
                        + " \"max\"; nvdla_compiler fails with 'Atleast 1 of scale or min-max should be specified'");
                return null;
            }
            boolean ok = ctx.acceptFinite(name, "min", min.value(), min.pos().in(ctx.path));
            ok &= ctx.acceptFinite(name, "max", max.value(), max.pos().in(ctx.path));
            if (!ok) {
                return null;
            }
            if (min.value() > max.value()) {
                ctx.error(min.pos().in(ctx.path), label + ": min " + min.text() + " is greater than max "
                        + max.text() + "; swap them");
                return null;
            }
            // Tensor.cpp:298: max(abs(min), abs(max)) / 127 in float32
            s = Math.max(Math.abs((float) min.value()), Math.abs((float) max.value())) / 127f;
            scaleWhere = min.pos().in(ctx.path);
            if (!ctx.acceptScale(name, s, "scale max(|min|,|max|)/127", scaleWhere)) {
                return null;
            }
        }
        double amax = (double) s * 127.0;
        return new TensorStatistics(name, -amax, amax, null, s, where);
    }
}
