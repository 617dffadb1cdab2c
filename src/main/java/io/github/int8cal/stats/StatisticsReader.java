package io.github.int8cal.stats;

import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.stats.LocatedJson.ArrayNode;
import io.github.int8cal.stats.LocatedJson.Node;
import io.github.int8cal.stats.LocatedJson.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a statistics file in any supported format, detected from its content unless forced:
 * <ul>
 * <li>first line starting with {@code TRT-}, or {@code 1}: a TensorRT calibration cache;</li>
 * <li>a JSON object with a {@code "format"} member: the plugin's own statistics JSON;</li>
 * <li>a JSON object whose first value is an object: nvdla_compiler's calibration table;</li>
 * <li>a JSON object whose first value is an array: ONNX Runtime's {@code [min, max]} JSON.</li>
 * </ul>
 * All problems of a file are collected and thrown as one {@link ProblemException}.
 */
public final class StatisticsReader {

    /** Larger inputs are refused rather than risking an out-of-memory failure. */
    static final long MAX_BYTES = 1L << 30;

    public Statistics read(Path path, StatisticsFormat forced) throws ProblemException, IOException {
        String where = path.toString();
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new ProblemException(where, "statistics file not found; check the 'statistics' parameter");
        }
        if (Files.isDirectory(path)) {
            throw new ProblemException(where, "is a directory; expected a statistics file");
        }
        if (size > MAX_BYTES) {
            throw new ProblemException(where, "is " + size + " bytes; statistics files over 1 GiB are not supported");
        }
        String text = decode(path, Files.readAllBytes(path));
        return read(path, text, forced);
    }

    /** Reads already loaded text (tests, and callers that have the content in memory). */
    public Statistics read(Path path, String text, StatisticsFormat forced) throws ProblemException {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // a UTF-8 byte-order mark some Windows editors add
        }
        StatisticsFormat format = forced;
        Node json = null;
        if (format == null) {
            if (looksLikeJson(text)) {
                json = LocatedJson.parse(text, path.toString());
                format = detectJson(path, json);
            } else if (firstLine(text).startsWith("TRT-") || TrtCacheHeader.isHeader(firstLine(text))) {
                format = StatisticsFormat.TRT_CACHE;
            } else {
                throw new ProblemException(path + ":1:1", "cannot tell the statistics format: expected a TensorRT"
                        + " cache header (TRT-<version>-<Algorithm> or 1) or a JSON object, found '"
                        + TrtCacheReader.abbreviate(firstLine(text)) + "'; set statisticsFormat to one of"
                        + " json, trt-cache, nvdla-json, ort-json");
            }
        }
        switch (format) {
            case TRT_CACHE:
                return new TrtCacheReader().read(path, text);
            case JSON:
                return new JsonStatisticsReader().read(path, json != null ? json : LocatedJson.parse(text, path.toString()));
            case NVDLA_JSON:
                return new NvdlaJsonReader().read(path, json != null ? json : LocatedJson.parse(text, path.toString()));
            case ORT_JSON:
                return new OrtJsonReader().read(path, json != null ? json : LocatedJson.parse(text, path.toString()));
            default:
                throw new IllegalStateException(format.toString());
        }
    }

    private static StatisticsFormat detectJson(Path path, Node root) throws ProblemException {
        if (root instanceof ObjectNode obj) {
            if (obj.first("format") != null) {
                return StatisticsFormat.JSON;
            }
            if (!obj.members().isEmpty()) {
                Node first = obj.members().get(0).value();
                if (first instanceof ObjectNode) {
                    return StatisticsFormat.NVDLA_JSON;
                }
                if (first instanceof ArrayNode) {
                    return StatisticsFormat.ORT_JSON;
                }
            }
        }
        throw new ProblemException(root.pos().in(path.toString()), "cannot tell which JSON statistics format this is:"
                + " expected {\"format\": \"nvdla-int8-statistics\", ...}, nvdla_compiler's {\"layer\": {\"scale\": s}}"
                + " or ONNX Runtime's {\"tensor\": [min, max]}; set statisticsFormat to force one");
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static String decode(Path path, byte[] bytes) throws ProblemException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ProblemException(path.toString(), "is not UTF-8 text; expected a TensorRT calibration cache or"
                    + " a JSON statistics file");
        }
    }
}
