package io.github.int8cal.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.github.int8cal.emit.PythonFloatRepr;
import io.github.int8cal.emit.PythonJson;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The one way report files are made: each is a Jackson tree ({@link JsonNode}), printed here in its
 * file's layout. Doubles go into the tree as Python's {@code repr} ({@link #repr}, {@link #number}),
 * so every file writes a number the same way, identically across runs and platforms, with
 * {@code \n} line ends and a final newline.
 *
 * <ul>
 * <li>{@link #pretty}: Jackson's pretty printer with 2-space indents ({@code registers.json},
 * {@code summary.json}).</li>
 * <li>{@link #report}: {@code report.json}'s layout, made to be read and diffed: one field a line,
 * arrays of plain values on one line, arrays of objects (and the top level's arrays) one element a
 * line, the named small maps on one line; strings as Python's {@code json.dump} writes them.</li>
 * </ul>
 */
public final class JsonText {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonText() {
    }

    /** An empty object to fill. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** {@code v} as Python's {@code repr} writes it ({@code 1e-05}, {@code 0.1}, {@code nan}), verbatim. */
    public static JsonNode repr(double v) {
        return new POJONode(new RawValue(PythonFloatRepr.repr(v)));
    }

    /** {@code v} as Python's {@code repr} writes it; JSON has no NaN or infinity, so those are null. */
    public static JsonNode number(double v) {
        return Double.isFinite(v) ? repr(v) : NODES.nullNode();
    }

    /** {@link #number}, or null for {@code null}. */
    public static JsonNode number(Double v) {
        return v == null ? NODES.nullNode() : number(v.doubleValue());
    }

    /**
     * Jackson's pretty printing, objects indented by 2 spaces.
     *
     * @param indentArrays arrays one element a line too (else on one line)
     */
    public static String pretty(JsonNode tree, boolean indentArrays) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        if (indentArrays) {
            printer = printer.withArrayIndenter(new DefaultIndenter("  ", "\n"));
        }
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain nodes always serializes
        }
    }

    /**
     * {@code report.json}'s layout (see the class comment).
     *
     * @param inlineObjects names of the fields whose objects are written on one line
     */
    public static String report(ObjectNode root, Set<String> inlineObjects) {
        StringBuilder sb = new StringBuilder();
        new ReportLayout(sb, inlineObjects).object(root, 0, true);
        return sb.append('\n').toString();
    }

    private record ReportLayout(StringBuilder sb, Set<String> inlineObjects) {

        void object(JsonNode o, int indent, boolean root) {
            if (o.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(" ".repeat(indent + 2)).append(PythonJson.quote(e.getKey())).append(": ");
                JsonNode v = e.getValue();
                if (v.isObject() && inlineObjects.contains(e.getKey())) {
                    inline(v);
                } else if (v.isArray()) {
                    array(v, indent + 2, root);
                } else {
                    value(v, indent + 2);
                }
                sb.append(it.hasNext() ? ",\n" : "\n");
            }
            sb.append(" ".repeat(indent)).append('}');
        }

        void array(JsonNode a, int indent, boolean topLevel) {
            boolean plain = true;
            for (JsonNode e : a) {
                plain &= e.isValueNode();
            }
            if (a.isEmpty() || (plain && !topLevel)) {
                sb.append('[');
                for (int i = 0; i < a.size(); i++) {
                    sb.append(i == 0 ? "" : ", ");
                    value(a.get(i), indent);
                }
                sb.append(']');
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < a.size(); i++) {
                sb.append(" ".repeat(indent + 2));
                value(a.get(i), indent + 2);
                sb.append(i + 1 < a.size() ? ",\n" : "\n");
            }
            sb.append(" ".repeat(indent)).append(']');
        }

        void inline(JsonNode o) {
            sb.append('{');
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(PythonJson.quote(e.getKey())).append(": ");
                value(e.getValue(), 0);
                sb.append(it.hasNext() ? ", " : "");
            }
            sb.append('}');
        }

        void value(JsonNode n, int indent) {
            if (n == null || n.isNull()) {
                sb.append("null");
            } else if (n.isObject()) {
                object(n, indent, false);
            } else if (n.isArray()) {
                array(n, indent, false);
            } else if (n.isPojo() && ((POJONode) n).getPojo() instanceof RawValue raw) {
                sb.append(raw.rawValue());
            } else if (n.isTextual()) {
                sb.append(PythonJson.quote(n.textValue()));
            } else if (n.isBoolean()) {
                sb.append(n.booleanValue());
            } else if (n.isIntegralNumber()) {
                sb.append(n.bigIntegerValue());
            } else if (n.isNumber()) {
                double v = n.doubleValue();
                sb.append(Double.isFinite(v) ? PythonFloatRepr.repr(v) : "null");
            } else {
                throw new IllegalArgumentException("no JSON rendering for " + n.getNodeType());
            }
        }
    }
}
