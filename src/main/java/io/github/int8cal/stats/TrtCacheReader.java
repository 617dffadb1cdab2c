package io.github.int8cal.stats;

import io.github.int8cal.problems.ProblemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a TensorRT calibration cache: a header line ({@code TRT-<version>-<Algorithm>} or the
 * TensorRT 4 line {@code 1}) and {@code <name>: <hex>} lines, where hex is the IEEE-754 float32 bit
 * pattern of {@code scale = amax/127}.
 *
 * <p>Names are written raw by TensorRT (spaces, {@code *}, brackets, {@code /}, {@code :} and
 * {@code ::} occur), so each line is split at its <em>last</em> colon. Hex may be unpadded
 * ({@code 0}) and of either case. The scale's bits are kept exactly (never recomputed from amax), so
 * writing the cache back reproduces it. CRLF line ends and blank lines are tolerated.
 */
public final class TrtCacheReader {

    public Statistics read(Path path, String text) throws ProblemException {
        ReadContext ctx = new ReadContext(path.toString());
        String[] lines = text.split("\n", -1);
        int count = lines.length;
        if (count > 0 && lines[count - 1].isEmpty()) {
            count--; // the final line end
        }
        if (count == 0) {
            throw new ProblemException(ctx.path + ":1:1", "the file is empty; expected a TensorRT calibration cache"
                    + " starting with a header such as TRT-8601-EntropyCalibration2");
        }
        String header = stripCr(lines[0]);
        TrtCacheHeader trtHeader = null;
        if (TrtCacheHeader.isHeader(header)) {
            trtHeader = new TrtCacheHeader(header);
            checkHeader(ctx, trtHeader);
        } else {
            ctx.error(ctx.path + ":1:1", "expected a TensorRT cache header 'TRT-<version>-<Algorithm>' (e.g."
                    + " TRT-8601-EntropyCalibration2) or '1', found '" + abbreviate(header) + "'");
        }
        List<TensorStatistics> tensors = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            String line = stripCr(lines[i]);
            if (line.isBlank()) {
                continue;
            }
            TensorStatistics t = entry(ctx, line, i + 1);
            if (t != null) {
                tensors.add(t);
            }
        }
        if (tensors.isEmpty() && ctx.problems.isEmpty()) {
            ctx.error(ctx.path + ":" + (count + 1) + ":1", "the cache has a header but no '<name>: <hex>' entries");
        }
        ctx.problems.throwIfAny();
        return new Statistics(path, StatisticsFormat.TRT_CACHE, trtHeader, tensors, ctx.warnings);
    }

    private static void checkHeader(ReadContext ctx, TrtCacheHeader h) {
        if (h.isLegacy()) {
            return;
        }
        String v = h.version();
        if (v.length() != 4 && v.length() != 6) {
            ctx.warn(ctx.path + ":1:5", "TensorRT version '" + v + "' has " + v.length()
                    + " digits; TensorRT writes 4 (up to TRT 9, e.g. 8601) or 6 (TRT 10+, e.g. 100300)");
        }
        if (!TrtCacheHeader.KNOWN_ALGORITHMS.contains(h.algorithm())) {
            ctx.warn(ctx.path + ":1:" + (6 + v.length()), "unknown calibration algorithm '" + h.algorithm()
                    + "'; TensorRT writes one of " + String.join(", ", TrtCacheHeader.KNOWN_ALGORITHMS));
        }
    }

    private static TensorStatistics entry(ReadContext ctx, String line, int lineNo) {
        int colon = line.lastIndexOf(':');
        if (colon < 0) {
            ctx.error(ctx.path + ":" + lineNo + ":1", "expected '<tensor name>: <hex scale>', found '"
                    + abbreviate(line) + "' (no ':')");
            return null;
        }
        String name = line.substring(0, colon);
        String where = ctx.path + ":" + lineNo + ":1";
        if (name.isEmpty()) {
            ctx.error(where, "empty tensor name before ':'");
            return null;
        }
        int start = colon + 1;
        while (start < line.length() && line.charAt(start) == ' ') {
            start++;
        }
        int end = line.length();
        while (end > start && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        if (!ctx.acceptName(name, where)) {
            return null;
        }
        String hex = line.substring(start, end);
        String valueWhere = ctx.path + ":" + lineNo + ":" + (start + 1);
        if (hex.isEmpty() || hex.length() > 8 || !isHex(hex)) {
            ctx.error(valueWhere, "tensor '" + name + "': expected 1 to 8 hex digits (the float32 bits of"
                    + " amax/127, e.g. 3c010a14), found '" + abbreviate(hex) + "'");
            return null;
        }
        float scale = Float.intBitsToFloat((int) Long.parseLong(hex, 16));
        if (!ctx.acceptScale(name, scale, "scale 0x" + hex, valueWhere)) {
            return null;
        }
        double amax = (double) scale * 127.0;
        return new TensorStatistics(name, -amax, amax, null, scale, where);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
