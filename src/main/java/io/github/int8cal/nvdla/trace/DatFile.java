package io.github.int8cal.nvdla.trace;

import io.github.int8cal.problems.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trace memory image ({@code .dat}, docs/nvdla-arithmetic.md#dat-files): a line {@code {}, then one record per
 * line {@code {offset:0xOFF, size:N, payload:0xB0 0xB1 ... } ,}, then {@code }}. Byte {@code i} of a
 * record goes to {@code base + OFF + i}; missing payload bytes are 0.
 */
public final class DatFile {

    private static final Pattern RECORD = Pattern.compile(
            "\\s*\\{\\s*offset\\s*:\\s*(\\w+)\\s*,\\s*size\\s*:\\s*(\\w+)\\s*,\\s*payload\\s*:\\s*([0-9a-fA-Fx \\t]*)\\}\\s*,?\\s*");

    /** One record: {@code bytes} at {@code offset} from the load base. */
    public record Chunk(long offset, byte[] bytes) {
    }

    private DatFile() {
    }

    /** Parses {@code file}; malformed lines are added to {@code problems} as {@code path:line:col}. */
    public static List<Chunk> read(Path file, Problems problems) throws IOException {
        List<Chunk> chunks = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String t = line.trim();
            if (t.isEmpty() || t.equals("{") || t.equals("}") || t.startsWith("//")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ":" + (line.indexOf(t) + 1);
            Matcher m = RECORD.matcher(line);
            if (!m.matches()) {
                problems.add(where, "expected a record '{offset:0x.., size:N, payload:0x.. 0x..} ,'");
                continue;
            }
            try {
                long offset = TraceNumbers.parse(m.group(1));
                long size = TraceNumbers.parse(m.group(2));
                String[] tokens = m.group(3).trim().isEmpty() ? new String[0] : m.group(3).trim().split("\\s+");
                if (size < 0 || size > 1 << 20 || tokens.length > size) {
                    problems.add(where, "record size " + size + " does not match its " + tokens.length
                            + " payload bytes");
                    continue;
                }
                byte[] bytes = new byte[(int) size];
                for (int b = 0; b < tokens.length; b++) {
                    long v = TraceNumbers.parse(tokens[b]);
                    if (v < 0 || v > 0xff) {
                        throw new NumberFormatException("payload byte " + tokens[b] + " is not 0x00..0xff");
                    }
                    bytes[b] = (byte) v;
                }
                chunks.add(new Chunk(offset, bytes));
            } catch (NumberFormatException e) {
                problems.add(where, e.getMessage());
            }
        }
        return chunks;
    }
}
