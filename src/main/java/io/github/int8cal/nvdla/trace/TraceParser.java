package io.github.int8cal.nvdla.trace;

import io.github.int8cal.problems.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the NVDLA trace syntax (docs/nvdla-arithmetic.md#cfg-syntax; the regexes of
 * {@code verif/tools/nvdla_trace_parser.py}): one command per line, {@code //} comments.
 */
public final class TraceParser {

    private static final Pattern COMMAND = Pattern.compile("(\\w+)\\s*\\((.*)\\)\\s*;?");
    private static final Pattern REG_WRITE = Pattern.compile("NVDLA_(\\w+)\\.(\\w+)\\s*,\\s*(\\w+)");
    private static final Pattern MEM_INIT = Pattern.compile("\\w+\\s*,\\s*(\\w+)\\s*,\\s*(\\w+)\\s*,\\s*(\\w+)");
    private static final Pattern MEM_LOAD = Pattern.compile("\\w+\\s*,\\s*(\\w+)\\s*,\\s*\"([^\"]+)\"");
    private static final Pattern CHECK_CRC =
            Pattern.compile("\\w+\\s*,\\s*(?:\\w+\\s*,\\s*)?(\\w+)\\s*,\\s*(\\w+)\\s*,\\s*(\\w+)");
    /** Commands of the trace language without effect on memory contents or registers we model. */
    private static final Set<String> NO_DATAPATH_EFFECT = Set.of("poll_reg_equal", "intr_notify", "sync_notify",
            "sync_wait", "check_nothing", "reg_read", "reg_read_check", "check_file", "nop");

    private TraceParser() {
    }

    /** Parses {@code cfg}; syntax errors go to {@code problems} as {@code path:line:col: ...}. */
    public static TraceFile parse(Path cfg, Problems problems) throws IOException {
        String fileName = cfg.getFileName().toString();
        String name = fileName.endsWith(".cfg") ? fileName.substring(0, fileName.length() - 4) : fileName;
        Path dir = cfg.toAbsolutePath().getParent();
        List<TraceCommand> commands = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<String> lines = Files.readAllLines(cfg, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            int comment = raw.indexOf("//");
            String line = (comment >= 0 ? raw.substring(0, comment) : raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            int lineNo = i + 1;
            String where = cfg + ":" + lineNo + ":" + (raw.indexOf(line) + 1);
            Matcher cmd = COMMAND.matcher(line);
            if (!cmd.matches()) {
                problems.add(where, "expected a trace command such as 'reg_write(NVDLA_SDP.D_OP_ENABLE_0, 0x1);'");
                continue;
            }
            String verb = cmd.group(1);
            String args = cmd.group(2).trim();
            try {
                switch (verb) {
                    case "reg_write" -> {
                        Matcher m = require(REG_WRITE, args, "reg_write(NVDLA_<UNIT>.<REGISTER>_0, <value>)");
                        long value = TraceNumbers.parse(m.group(3));
                        if (value < 0 || value > 0xffff_ffffL) {
                            throw new IllegalArgumentException("register value " + m.group(3) + " is not 32-bit");
                        }
                        commands.add(new TraceCommand.RegWrite(m.group(1), m.group(2), value, lineNo));
                    }
                    case "mem_init" -> {
                        Matcher m = require(MEM_INIT, args, "mem_init(pri_mem, <base>, <size>, ALL_ZERO)");
                        commands.add(new TraceCommand.MemInit(TraceNumbers.parse(m.group(1)),
                                TraceNumbers.parse(m.group(2)), m.group(3), lineNo));
                    }
                    case "mem_load" -> {
                        Matcher m = require(MEM_LOAD, args, "mem_load(pri_mem, <base>, \"<file>.dat\")");
                        commands.add(new TraceCommand.MemLoad(TraceNumbers.parse(m.group(1)),
                                dir.resolve(m.group(2)), lineNo));
                    }
                    case "check_crc" -> {
                        Matcher m = require(CHECK_CRC, args, "check_crc(<sync>, 1, <base>, <size>, <crc>)");
                        long golden = TraceNumbers.parse(m.group(3));
                        if (golden > 0xffff_ffffL) {
                            throw new IllegalArgumentException("CRC " + m.group(3) + " is not 32-bit");
                        }
                        commands.add(new TraceCommand.CheckCrc(TraceNumbers.parse(m.group(1)),
                                TraceNumbers.parse(m.group(2)), golden, lineNo));
                    }
                    default -> {
                        if (!NO_DATAPATH_EFFECT.contains(verb)) {
                            ignored.add(verb + " (line " + lineNo + ")");
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add(where, e.getMessage());
            }
        }
        return new TraceFile(name, cfg, commands, ignored);
    }

    private static Matcher require(Pattern p, String args, String expected) {
        Matcher m = p.matcher(args);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected " + expected + ", got (" + args + ")");
        }
        return m;
    }
}
