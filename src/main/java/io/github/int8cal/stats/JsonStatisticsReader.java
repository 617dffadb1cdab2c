package io.github.int8cal.stats;

import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.stats.LocatedJson.ArrayNode;
import io.github.int8cal.stats.LocatedJson.BooleanNode;
import io.github.int8cal.stats.LocatedJson.Member;
import io.github.int8cal.stats.LocatedJson.Node;
import io.github.int8cal.stats.LocatedJson.NumberNode;
import io.github.int8cal.stats.LocatedJson.ObjectNode;
import io.github.int8cal.stats.LocatedJson.StringNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the plugin's own statistics format, schema {@code META-INF/nvdla-int8/statistics.schema.json}:
 * <pre>{@code
 * {"format": "nvdla-int8-statistics", "version": 1, "tensors": [
 *   {"name": "conv1", "min": -3.25, "max": 7.5,
 *    "histogram": {"lo": 0.0, "hi": 7.5, "abs": true, "counts": [120, 98, 0, 7]}}]}
 * }</pre>
 * The histogram is optional; its bins are uniform over {@code [lo, hi]}; {@code abs: true} means a
 * histogram of {@code |x|}, {@code abs: false} a signed one.
 */
public final class JsonStatisticsReader {

    public static final String FORMAT_ID = "nvdla-int8-statistics";
    public static final int VERSION = 1;

    static final List<String> ROOT_FIELDS = List.of("format", "version", "tensors", "$schema");
    static final List<String> TENSOR_FIELDS = List.of("name", "min", "max", "histogram");
    static final List<String> HISTOGRAM_FIELDS = List.of("lo", "hi", "abs", "counts");

    /** Problems reported per histogram before the rest are summarised. */
    private static final int MAX_COUNT_PROBLEMS = 5;

    /** Counts must stay exact in a double. */
    private static final double MAX_COUNT = 9007199254740992.0; // 2^53

    public Statistics read(Path path, String text) throws ProblemException {
        return read(path, LocatedJson.parse(text, path.toString()));
    }

    Statistics read(Path path, Node root) throws ProblemException {
        ReadContext ctx = new ReadContext(path.toString());
        if (!(root instanceof ObjectNode obj)) {
            throw new ProblemException(root.pos().in(ctx.path), JsonFields.typeError(root, "a JSON object {\"format\": \""
                    + FORMAT_ID + "\", \"version\": 1, \"tensors\": [...]}"));
        }
        JsonFields.check(ctx, obj, ROOT_FIELDS, List.of("format", "version", "tensors"), "statistics");
        Member format = obj.first("format");
        if (format != null && !(format.value() instanceof StringNode s && s.value().equals(FORMAT_ID))) {
            ctx.error(format.value().pos().in(ctx.path), "\"format\" must be \"" + FORMAT_ID + "\"");
        }
        Member version = obj.first("version");
        if (version != null && !(version.value() instanceof NumberNode n && n.integerToken() && n.value() == VERSION)) {
            ctx.error(version.value().pos().in(ctx.path), "unsupported \"version\"; this plugin reads version "
                    + VERSION);
        }
        Member schema = obj.first("$schema");
        if (schema != null && !(schema.value() instanceof StringNode)) {
            ctx.error(schema.value().pos().in(ctx.path), "\"$schema\" must be a string");
        }
        List<TensorStatistics> tensors = new ArrayList<>();
        Member tensorsMember = obj.first("tensors");
        if (tensorsMember != null) {
            if (tensorsMember.value() instanceof ArrayNode array) {
                for (int i = 0; i < array.elements().size(); i++) {
                    TensorStatistics t = tensor(ctx, array.elements().get(i), i);
                    if (t != null) {
                        tensors.add(t);
                    }
                }
                if (array.elements().isEmpty()) {
                    ctx.error(array.pos().in(ctx.path), "\"tensors\" is empty; expected at least one tensor");
                }
            } else {
                ctx.error(tensorsMember.value().pos().in(ctx.path),
                        "\"tensors\": " + JsonFields.typeError(tensorsMember.value(), "an array"));
            }
        }
        ctx.problems.throwIfAny();
        return new Statistics(path, StatisticsFormat.JSON, null, tensors, ctx.warnings);
    }

    private static TensorStatistics tensor(ReadContext ctx, Node node, int index) {
        String label = "tensors[" + index + "]";
        if (!(node instanceof ObjectNode obj)) {
            ctx.error(node.pos().in(ctx.path), label + ": " + JsonFields.typeError(node, "an object"));
            return null;
        }
        String name = null;
        Member nameMember = obj.first("name");
        if (nameMember != null) {
            if (nameMember.value() instanceof StringNode s && !s.value().isEmpty()) {
                name = s.value();
                label = "tensor '" + name + "'";
            } else {
                ctx.error(nameMember.value().pos().in(ctx.path), label + ": \"name\" must be a non-empty string");
            }
        }
        String where = obj.pos().in(ctx.path);
        boolean unique = name == null || ctx.acceptName(name, where);
        int before = ctx.problems.list().size();
        JsonFields.check(ctx, obj, TENSOR_FIELDS, List.of("name", "min", "max"), label);
        NumberNode min = JsonFields.number(ctx, obj.first("min"), label);
        NumberNode max = JsonFields.number(ctx, obj.first("max"), label);
        boolean ok = min != null && max != null;
        String tensorName = name == null ? label : name;
        if (min != null) {
            ok &= ctx.acceptFinite(tensorName, "min", min.value(), min.pos().in(ctx.path));
        }
        if (max != null) {
            ok &= ctx.acceptFinite(tensorName, "max", max.value(), max.pos().in(ctx.path));
        }
        if (ok && min.value() > max.value()) {
            ctx.error(min.pos().in(ctx.path), label + ": min " + min.text() + " is greater than max " + max.text()
                    + " (line " + max.pos().line() + "); swap them or re-export the statistics");
            ok = false;
        }
        Histogram histogram = null;
        Member h = obj.first("histogram");
        if (h != null) {
            histogram = histogram(ctx, h.value(), label);
        }
        if (name == null || !unique || ctx.problems.list().size() != before || !ok || (h != null && histogram == null)) {
            return null;
        }
        return new TensorStatistics(name, min.value(), max.value(), histogram, null, where);
    }

    private static Histogram histogram(ReadContext ctx, Node node, String label) {
        String owner = label + " histogram";
        if (!(node instanceof ObjectNode obj)) {
            ctx.error(node.pos().in(ctx.path), owner + ": " + JsonFields.typeError(node, "an object"));
            return null;
        }
        int before = ctx.problems.list().size();
        JsonFields.check(ctx, obj, HISTOGRAM_FIELDS, HISTOGRAM_FIELDS, owner);
        NumberNode lo = JsonFields.number(ctx, obj.first("lo"), owner);
        NumberNode hi = JsonFields.number(ctx, obj.first("hi"), owner);
        String tensor = label.startsWith("tensor '") ? label.substring(8, label.length() - 1) : label;
        if (lo != null && ctx.acceptFinite(tensor, "histogram lo", lo.value(), lo.pos().in(ctx.path))
                && hi != null && ctx.acceptFinite(tensor, "histogram hi", hi.value(), hi.pos().in(ctx.path))
                && !(lo.value() < hi.value())) {
            ctx.error(lo.pos().in(ctx.path), owner + ": lo " + lo.text() + " must be less than hi " + hi.text());
        }
        Member abs = obj.first("abs");
        if (abs != null && !(abs.value() instanceof BooleanNode)) {
            ctx.error(abs.value().pos().in(ctx.path), owner + ": 'abs' must be true (a histogram of |x|) or false"
                    + " (a signed histogram), found " + abs.value().typeName());
        } else if (abs != null && ((BooleanNode) abs.value()).value() && lo != null && lo.value() < 0) {
            ctx.error(lo.pos().in(ctx.path), owner + ": lo " + lo.text() + " is negative but 'abs' is true (a"
                    + " histogram of |x| starts at 0 or above); set \"abs\": false for a signed histogram");
        }
        long[] counts = null;
        Member countsMember = obj.first("counts");
        if (countsMember != null) {
            counts = counts(ctx, countsMember.value(), owner);
        }
        if (ctx.problems.list().size() != before || counts == null) {
            return null;
        }
        return new Histogram(lo.value(), hi.value(), ((BooleanNode) abs.value()).value(), counts);
    }

    private static long[] counts(ReadContext ctx, Node node, String owner) {
        if (!(node instanceof ArrayNode array)) {
            ctx.error(node.pos().in(ctx.path), owner + ": 'counts' " + JsonFields.typeError(node, "an array of integers"));
            return null;
        }
        if (array.elements().isEmpty()) {
            ctx.error(array.pos().in(ctx.path), owner + " is empty (zero bins); give at least one count or drop"
                    + " the histogram");
            return null;
        }
        long[] counts = new long[array.elements().size()];
        int bad = 0;
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            Node e = array.elements().get(i);
            String problem = null;
            if (!(e instanceof NumberNode n)) {
                problem = "count " + i + " must be a non-negative integer, found " + e.typeName();
            } else if (!n.integral()) {
                problem = "count " + i + " is " + n.text() + "; counts must be non-negative integers";
            } else if (n.value() < 0) {
                problem = "count " + i + " is negative (" + n.text() + "); counts must be non-negative integers";
            } else if (n.value() > MAX_COUNT) {
                problem = "count " + i + " (" + n.text() + ") exceeds 2^53 and cannot be held exactly";
            } else {
                counts[i] = (long) n.value();
                total += counts[i];
                continue;
            }
            if (bad++ < MAX_COUNT_PROBLEMS) {
                ctx.error(e.pos().in(ctx.path), owner + ": " + problem);
            }
        }
        if (bad > MAX_COUNT_PROBLEMS) {
            ctx.error(array.pos().in(ctx.path), owner + ": " + (bad - MAX_COUNT_PROBLEMS)
                    + " more invalid counts not listed");
        }
        if (bad > 0) {
            return null;
        }
        if (total == 0) {
            ctx.error(array.pos().in(ctx.path), owner + " is empty (all " + counts.length + " counts are 0); a"
                    + " histogram needs at least one sample — drop it or collect more data");
            return null;
        }
        if (total < 0 || total > MAX_COUNT) {
            ctx.error(array.pos().in(ctx.path), owner + ": the counts add up to more than 2^53");
            return null;
        }
        return counts;
    }
}
