package io.github.int8cal.verify;

import io.github.int8cal.problems.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0): the header dictionary's
 * {@code descr}, {@code fortran_order} and {@code shape}, then the data, converted to float32 in C
 * (row-major) order. Accepted dtypes: float32 ({@code <f4}, {@code >f4}), float64 ({@code <f8},
 * {@code >f8}), uint8 ({@code |u1}) and int8 ({@code |i1}). Every size is checked against the file
 * length before anything is allocated; errors read {@code path: expected ..., got ...}.
 */
public final class NpyReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Largest array read (elements): keeps a wrong file from exhausting the heap. */
    static final long MAX_ELEMENTS = 1L << 28;

    private NpyReader() {
    }

    /** One array: its dtype as written, its shape, and the values as float32 in C order. */
    public record NpyArray(Path source, String dtype, long[] shape, float[] values) {

        public long elementCount() {
            return values.length;
        }

        /** True for uint8 / int8 data (raw pixels). */
        public boolean isInteger() {
            return dtype.endsWith("u1") || dtype.endsWith("i1");
        }

        public String shapeText() {
            return NpyReader.shapeText(shape);
        }
    }

    public static NpyArray read(Path file) throws ProblemException {
        String where = file.toString();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ProblemException(where, "cannot read the file: " + e.getMessage());
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] prefix = in.readNBytes(10);
            if (prefix.length < 10 || !Arrays.equals(Arrays.copyOf(prefix, 6), MAGIC)) {
                throw new ProblemException(where, "expected a NumPy .npy file (magic \\x93NUMPY), got "
                        + (prefix.length < 6 ? "a file of " + size + " bytes" : "other content")
                        + "; save samples with numpy.save");
            }
            int major = prefix[6] & 0xff;
            int headerLength;
            int preamble;
            if (major == 1) {
                headerLength = (prefix[8] & 0xff) | (prefix[9] & 0xff) << 8;
                preamble = 10;
            } else if (major == 2 || major == 3) {
                byte[] more = in.readNBytes(2);
                if (more.length < 2) {
                    throw new ProblemException(where, "expected a 4-byte header length, got the end of the file");
                }
                long len = (prefix[8] & 0xffL) | (prefix[9] & 0xffL) << 8 | (more[0] & 0xffL) << 16
                        | (more[1] & 0xffL) << 24;
                if (len > size) {
                    throw new ProblemException(where, "expected a header shorter than the file (" + size
                            + " bytes), got a header length of " + len);
                }
                headerLength = (int) len;
                preamble = 12;
            } else {
                throw new ProblemException(where, "expected .npy format version 1, 2 or 3, got " + major + "."
                        + (prefix[7] & 0xff));
            }
            byte[] headerBytes = in.readNBytes(headerLength);
            if (headerBytes.length < headerLength) {
                throw new ProblemException(where, "expected a " + headerLength + "-byte header, got "
                        + headerBytes.length + " bytes (file truncated?)");
            }
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Map<String, Object> dict = new HeaderParser(where, header).parseDict();
            Object descr = dict.get("descr");
            Object fortran = dict.get("fortran_order");
            Object shapeValue = dict.get("shape");
            if (!(descr instanceof String) || !(fortran instanceof Boolean) || !(shapeValue instanceof long[])) {
                throw new ProblemException(where, "expected a header with 'descr' (a dtype string), 'fortran_order'"
                        + " (True/False) and 'shape' (a tuple), got " + header.trim());
            }
            String dtype = (String) descr;
            long[] shape = (long[]) shapeValue;
            int itemSize = itemSize(where, dtype);
            long count = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new ProblemException(where, "expected non-negative dimensions, got shape " + shapeText(shape));
                }
                count = Math.multiplyExact(count, d);
            }
            if (count > MAX_ELEMENTS) {
                throw new ProblemException(where, "expected at most " + MAX_ELEMENTS + " elements per file, got "
                        + count + " (shape " + shapeText(shape) + "); split the samples over several files");
            }
            long dataBytes = size - preamble - headerLength;
            if (dataBytes < count * itemSize) {
                throw new ProblemException(where, String.format(Locale.ROOT, "expected %d bytes of %s data for shape"
                        + " %s, got %d (file truncated?)", count * itemSize, dtype, shapeText(shape), dataBytes));
            }
            byte[] data = in.readNBytes((int) (count * itemSize));
            float[] values = decode(data, dtype, (int) count);
            if ((Boolean) fortran && shape.length > 1) {
                values = fortranToC(values, shape);
            }
            return new NpyArray(file, dtype, shape, values);
        } catch (IOException e) {
            throw new ProblemException(where, "cannot read the file: " + e.getMessage());
        } catch (ArithmeticException e) {
            throw new ProblemException(where, "expected a shape whose element count fits 64 bits");
        }
    }

    private static int itemSize(String where, String dtype) throws ProblemException {
        return switch (dtype) {
            case "<f4", ">f4", "=f4" -> 4;
            case "<f8", ">f8", "=f8" -> 8;
            case "|u1", "<u1", ">u1", "=u1", "|i1", "<i1", ">i1", "=i1" -> 1;
            default -> throw new ProblemException(where, "expected dtype float32 ('<f4'), float64 ('<f8') or"
                    + " uint8 ('|u1'), got '" + dtype + "'; convert with array.astype(numpy.float32)");
        };
    }

    private static float[] decode(byte[] data, String dtype, int count) {
        float[] v = new float[count];
        // '=' is the writer's native order; NumPy runs little-endian on every platform we target
        ByteOrder order = dtype.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        switch (dtype.substring(1)) {
            case "f4" -> b.asFloatBuffer().get(v);
            case "f8" -> {
                for (int i = 0; i < count; i++) {
                    v[i] = (float) b.getDouble(i * 8);
                }
            }
            case "u1" -> {
                for (int i = 0; i < count; i++) {
                    v[i] = data[i] & 0xff;
                }
            }
            default -> {
                for (int i = 0; i < count; i++) {
                    v[i] = data[i];
                }
            }
        }
        return v;
    }

    /** Column-major values of {@code shape} rearranged into row-major order. */
    static float[] fortranToC(float[] f, long[] shape) {
        int rank = shape.length;
        long[] fStride = new long[rank];
        long s = 1;
        for (int d = 0; d < rank; d++) {
            fStride[d] = s;
            s *= shape[d];
        }
        float[] c = new float[f.length];
        long[] idx = new long[rank];
        for (int i = 0; i < c.length; i++) {
            long offset = 0;
            for (int d = 0; d < rank; d++) {
                offset += idx[d] * fStride[d];
            }
            c[i] = f[(int) offset];
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return c;
    }

    static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** The Python literal of the header: a dict of strings, booleans and integer tuples. */
    private static final class HeaderParser {
        private final String where;
        private final String s;
        private int pos;

        HeaderParser(String where, String s) {
            this.where = where;
            this.s = s;
        }

        Map<String, Object> parseDict() throws ProblemException {
            Map<String, Object> out = new LinkedHashMap<>();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return out;
                }
                String key = string();
                expect(':');
                out.put(key, value(key));
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw fail("',' or '}'");
                }
            }
        }

        private Object value(String key) throws ProblemException {
            skipSpace();
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                pos++;
                List<Long> dims = new ArrayList<>();
                while (true) {
                    skipSpace();
                    if (peek() == ')') {
                        pos++;
                        return dims.stream().mapToLong(Long::longValue).toArray();
                    }
                    int start = pos;
                    while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '-')) {
                        pos++;
                    }
                    if (start == pos) {
                        throw fail("an integer in the shape tuple");
                    }
                    dims.add(Long.parseLong(s.substring(start, pos)));
                    if (pos < s.length() && s.charAt(pos) == 'L') {
                        pos++; // Python 2 long literal
                    }
                    skipSpace();
                    if (peek() == ',') {
                        pos++;
                    }
                }
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (key.equals("descr") && c == '[') {
                throw new ProblemException(where, "expected a plain dtype, got a structured dtype " + rest()
                        + "; save a plain float32 or uint8 array");
            }
            throw fail("a string, True/False or a tuple for '" + key + "'");
        }

        private String string() throws ProblemException {
            skipSpace();
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw fail("a quoted key");
            }
            int end = s.indexOf(quote, pos + 1);
            if (end < 0) {
                throw fail("a closing quote");
            }
            String v = s.substring(pos + 1, end);
            pos = end + 1;
            return v;
        }

        private void expect(char c) throws ProblemException {
            skipSpace();
            if (peek() != c) {
                throw fail("'" + c + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private String rest() {
            return s.substring(pos, Math.min(s.length(), pos + 40)).trim();
        }

        private ProblemException fail(String expected) {
            return new ProblemException(where, "expected " + expected + " in the .npy header at character " + pos
                    + ", got '" + rest() + "'");
        }
    }
}
