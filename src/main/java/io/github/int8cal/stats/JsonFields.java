package io.github.int8cal.stats;

import io.github.int8cal.stats.LocatedJson.Member;
import io.github.int8cal.stats.LocatedJson.Node;
import io.github.int8cal.stats.LocatedJson.NumberNode;
import io.github.int8cal.stats.LocatedJson.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Field checks shared by the JSON readers; every problem is located at the offending token. */
final class JsonFields {

    private JsonFields() {
    }

    /**
     * Reports unknown and repeated members of {@code obj} (at their names) and missing required
     * ones (at the object's opening brace). {@code owner} names the object in messages.
     */
    static void check(ReadContext ctx, ObjectNode obj, List<String> known, List<String> required, String owner) {
        Set<String> seen = new HashSet<>();
        for (Member m : obj.members()) {
            if (!known.contains(m.name())) {
                ctx.error(m.namePos().in(ctx.path), owner + ": " + FieldHints.unknownField(m.name(), known));
            } else if (!seen.add(m.name())) {
                ctx.error(m.namePos().in(ctx.path), owner + ": field '" + m.name() + "' appears twice; keep one");
            }
        }
        for (String r : required) {
            if (obj.first(r) == null) {
                ctx.error(obj.pos().in(ctx.path), owner + ": missing field '" + r + "'");
            }
        }
    }

    /** The member's value if it is a number, else reports a type error and returns null. */
    static NumberNode number(ReadContext ctx, Member m, String owner) {
        if (m == null) {
            return null;
        }
        if (m.value() instanceof NumberNode n) {
            return n;
        }
        ctx.error(m.value().pos().in(ctx.path), owner + ": '" + m.name() + "' must be a number, found "
                + m.value().typeName());
        return null;
    }

    static String typeError(Node node, String expected) {
        return "expected " + expected + ", found " + node.typeName();
    }
}
