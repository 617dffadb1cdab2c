package io.github.int8cal.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.github.int8cal.problems.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON document as a small tree whose every value and member name remembers its
 * {@code line:column}, so that semantic errors ("min is greater than max") can point at the
 * offending value, not only syntax errors. Jackson's own tree drops locations, hence this.
 *
 * <p>Member order and duplicate names are kept as written (readers report duplicates themselves).
 * {@code NaN}, {@code Infinity} and {@code -Infinity} (what Python's {@code json.dump} writes) are
 * accepted as numbers so that readers can reject them with a message naming the tensor.
 */
final class LocatedJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private static final java.util.regex.Pattern SOURCE_LOCATION =
            java.util.regex.Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

    private LocatedJson() {
    }

    /** Where a token starts, 1-based as editors count. */
    record Pos(int line, int column) {

        String in(String path) {
            return path + ":" + line + ":" + column;
        }
    }

    sealed interface Node permits ObjectNode, ArrayNode, NumberNode, StringNode, BooleanNode, NullNode {

        Pos pos();

        /** The JSON type as a user would name it in a message. */
        String typeName();
    }

    record Member(String name, Pos namePos, Node value) {
    }

    record ObjectNode(Pos pos, List<Member> members) implements Node {

        Member first(String name) {
            for (Member m : members) {
                if (m.name().equals(name)) {
                    return m;
                }
            }
            return null;
        }

        @Override
        public String typeName() {
            return "object";
        }
    }

    record ArrayNode(Pos pos, List<Node> elements) implements Node {

        @Override
        public String typeName() {
            return "array";
        }
    }

    /**
     * A number token. {@code integerToken} is true for tokens written without fraction or
     * exponent; {@code integral} also holds for {@code 120.0} or {@code 1e3} (numpy writes those).
     */
    record NumberNode(Pos pos, double value, boolean integerToken, String text) implements Node {

        boolean integral() {
            return Double.isFinite(value) && value == Math.rint(value);
        }

        @Override
        public String typeName() {
            return "number";
        }
    }

    record StringNode(Pos pos, String value) implements Node {

        @Override
        public String typeName() {
            return "string";
        }
    }

    record BooleanNode(Pos pos, boolean value) implements Node {

        @Override
        public String typeName() {
            return "boolean";
        }
    }

    record NullNode(Pos pos) implements Node {

        @Override
        public String typeName() {
            return "null";
        }
    }

    /**
     * Parses one JSON document. A syntax error becomes a single problem at Jackson's location,
     * worded with {@code getOriginalMessage()} (Jackson ≥ 2.16 redacts the source name, so the
     * path is ours).
     */
    static Node parse(String text, String path) throws ProblemException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ProblemException(path + ":1:1", "the file is empty; expected a JSON object");
            }
            Node root = read(parser);
            if (parser.nextToken() != null) {
                throw new ProblemException(at(path, parser.currentTokenLocation()),
                        "unexpected content after the end of the JSON document; remove it");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new ProblemException(at(path, e.getLocation()),
                    "invalid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            // Only reachable for a String source if Jackson's own limits trip; still a user problem.
            throw new ProblemException(path, "cannot parse JSON: " + e.getMessage());
        }
    }

    private static Node read(JsonParser p) throws IOException {
        Pos pos = pos(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                List<Member> members = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    Pos namePos = pos(p.currentTokenLocation());
                    p.nextToken();
                    members.add(new Member(name, namePos, read(p)));
                }
                return new ObjectNode(pos, List.copyOf(members));
            }
            case START_ARRAY: {
                List<Node> elements = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(read(p));
                }
                return new ArrayNode(pos, elements);
            }
            case VALUE_NUMBER_INT:
                return new NumberNode(pos, p.getDoubleValue(), true, p.getText());
            case VALUE_NUMBER_FLOAT:
                return new NumberNode(pos, p.getDoubleValue(), false, p.getText());
            case VALUE_STRING:
                return new StringNode(pos, p.getText());
            case VALUE_TRUE:
                return new BooleanNode(pos, true);
            case VALUE_FALSE:
                return new BooleanNode(pos, false);
            case VALUE_NULL:
                return new NullNode(pos);
            default:
                throw new IllegalStateException("unexpected token " + t);
        }
    }

    private static Pos pos(JsonLocation loc) {
        return new Pos(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }

    static String at(String path, JsonLocation loc) {
        return loc == null ? path : pos(loc).in(path);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        // Nested locations still name the (redacted) source; keep only line and column.
        return SOURCE_LOCATION.matcher(line).replaceAll("line $1, column $2");
    }
}
