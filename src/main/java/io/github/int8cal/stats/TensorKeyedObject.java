package io.github.int8cal.stats;

import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.stats.LocatedJson.Member;
import io.github.int8cal.stats.LocatedJson.Node;
import io.github.int8cal.stats.LocatedJson.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape shared by the nvdla_compiler and ONNX Runtime JSON formats: one object whose members
 * are tensors, each read by a format-specific entry reader that reports its own problems.
 */
final class TensorKeyedObject {

    /** Reads one member; returns {@code null} after recording a problem in the context. */
    interface EntryReader {
        TensorStatistics read(ReadContext ctx, Member member);
    }

    private TensorKeyedObject() {
    }

    static Statistics read(Path path, Node root, StatisticsFormat format, String expected, String emptyMessage,
            EntryReader entries) throws ProblemException {
        ReadContext ctx = new ReadContext(path.toString());
        if (!(root instanceof ObjectNode obj)) {
            throw new ProblemException(root.pos().in(ctx.path), JsonFields.typeError(root, expected));
        }
        List<TensorStatistics> tensors = new ArrayList<>();
        for (Member m : obj.members()) {
            TensorStatistics t = entries.read(ctx, m);
            if (t != null) {
                tensors.add(t);
            }
        }
        if (obj.members().isEmpty()) {
            ctx.error(obj.pos().in(ctx.path), emptyMessage);
        }
        ctx.problems.throwIfAny();
        return new Statistics(path, format, null, tensors, ctx.warnings);
    }
}
