package io.github.int8cal.stats;

import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.stats.LocatedJson.ArrayNode;
import io.github.int8cal.stats.LocatedJson.Member;
import io.github.int8cal.stats.LocatedJson.Node;
import io.github.int8cal.stats.LocatedJson.NumberNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads ONNX Runtime's min/max calibration JSON ({@code calibration.json} of
 * {@code write_calibration_table}): {@code {"tensor": [min, max], ...}}.
 */
public final class OrtJsonReader {

    public Statistics read(Path path, String text) throws ProblemException {
        return read(path, LocatedJson.parse(text, path.toString()));
    }

    Statistics read(Path path, Node root) throws ProblemException {
        return TensorKeyedObject.read(path, root, StatisticsFormat.ORT_JSON,
                "a JSON object {\"tensor\": [min, max], ...}",
                "the file has no tensors", OrtJsonReader::entry);
    }

    private static TensorStatistics entry(ReadContext ctx, Member m) {
        String name = m.name();
        String where = m.namePos().in(ctx.path);
        String label = "tensor '" + name + "'";
        if (name.isEmpty()) {
            ctx.error(where, "empty tensor name");
            return null;
        }
        if (!ctx.acceptName(name, where)) {
            return null;
        }
        if (!(m.value() instanceof ArrayNode a) || a.elements().size() != 2
                || !(a.elements().get(0) instanceof NumberNode min) || !(a.elements().get(1) instanceof NumberNode max)) {
            ctx.error(m.value().pos().in(ctx.path), label + ": expected [min, max] (two numbers)");
            return null;
        }
        boolean ok = ctx.acceptFinite(name, "min", min.value(), min.pos().in(ctx.path));
        ok &= ctx.acceptFinite(name, "max", max.value(), max.pos().in(ctx.path));
        if (!ok) {
            return null;
        }
        if (min.value() > max.value()) {
            ctx.error(min.pos().in(ctx.path), label + ": min " + min.text() + " is greater than max " + max.text()
                    + "; expected [min, max]");
            return null;
        }
        return new TensorStatistics(name, min.value(), max.value(), null, null, where);
    }
}
