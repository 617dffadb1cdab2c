package io.github.int8cal.nvdla.trace;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.RegisterMap;
import io.github.int8cal.nvdla.RegisterSpec;
import io.github.int8cal.nvdla.Unit;
import io.github.int8cal.nvdla.datapath.ConvolutionEngine;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.problems.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Runs NVDLA register-level trace tests on the emulator: a {@code .cfg} file, a trace directory or
 * a folder of trace directories. All inputs are read and checked first (every problem reported
 * at once); then each trace runs and yields a {@link TraceResult}.
 */
public final class TraceRunner {

    /** Units whose layers the emulator does not model; starting one makes the trace unsupported. */
    private static final Set<String> UNMODELLED_ENGINES = Set.of("PDP", "PDP_RDMA", "CDP", "CDP_RDMA", "BDMA",
            "RUBIK");

    private final HardwareConfig hardware;
    private final int threads;

    public TraceRunner(HardwareConfig hardware, int threads) {
        this.hardware = hardware;
        this.threads = threads;
    }

    public HardwareConfig hardware() {
        return hardware;
    }

    /** Finds, parses and runs every trace under {@code input}, in name order. */
    public List<TraceResult> run(Path input) throws IOException, ProblemException {
        List<Path> cfgs = findTraces(input);
        Problems problems = new Problems();
        List<LoadedTrace> loaded = new ArrayList<>();
        for (Path cfg : cfgs) {
            loaded.add(load(cfg, problems));
        }
        problems.throwIfAny();
        List<TraceResult> results = new ArrayList<>();
        try (ConvolutionEngine engine = new ConvolutionEngine(threads)) {
            for (LoadedTrace t : loaded) {
                results.add(execute(t, engine));
            }
        }
        return results;
    }

    /**
     * The {@code .cfg} files {@code input} designates: itself if it is a file, the {@code .cfg}
     * files in it if it holds any, else those of its sub-directories.
     */
    public static List<Path> findTraces(Path input) throws IOException, ProblemException {
        if (!Files.exists(input)) {
            throw new ProblemException(input.toString(), "no such file or directory; give a trace .cfg, a trace "
                    + "directory or a folder of trace directories");
        }
        if (Files.isRegularFile(input)) {
            if (!input.getFileName().toString().endsWith(".cfg")) {
                throw new ProblemException(input.toString(), "not a trace: expected a .cfg file");
            }
            return List.of(input);
        }
        List<Path> direct = cfgFiles(input);
        if (!direct.isEmpty()) {
            return direct;
        }
        List<Path> nested = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(input)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                nested.addAll(cfgFiles(d));
            }
        }
        if (nested.isEmpty()) {
            throw new ProblemException(input.toString(), "no trace .cfg file here or in its sub-directories");
        }
        return nested;
    }

    private static List<Path> cfgFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".cfg"))
                    .sorted().toList();
        }
    }

    /** A parsed trace with its {@code .dat} images read. */
    private record LoadedTrace(TraceFile trace, Map<Path, List<DatFile.Chunk>> images) {
    }

    private static LoadedTrace load(Path cfg, Problems problems) throws IOException {
        TraceFile trace = TraceParser.parse(cfg, problems);
        Map<Path, List<DatFile.Chunk>> images = new HashMap<>();
        for (TraceCommand c : trace.commands()) {
            if (c instanceof TraceCommand.MemLoad load && !images.containsKey(load.file())) {
                if (!Files.isRegularFile(load.file())) {
                    problems.add(cfg + ":" + load.line(), "mem_load file " + load.file()
                            + " does not exist; it must sit next to the .cfg");
                    continue;
                }
                images.put(load.file(), DatFile.read(load.file(), problems));
            }
        }
        return new LoadedTrace(trace, images);
    }

    private TraceResult execute(LoadedTrace loaded, ConvolutionEngine engine) {
        TraceFile trace = loaded.trace();
        RegisterMap map = hardware.registerMap();
        RegisterFile regs = new RegisterFile(map);
        SparseMemory mem = new SparseMemory();
        Set<Unit> started = new HashSet<>();
        String unsupported = null;
        for (TraceCommand c : trace.commands()) {
            if (c instanceof TraceCommand.RegWrite w) {
                Optional<String> problem = applyWrite(w, map, regs, started);
                if (problem.isPresent() && unsupported == null) {
                    unsupported = problem.get();
                }
            } else if (c instanceof TraceCommand.MemInit init) {
                if (!init.pattern().equals("ALL_ZERO") && unsupported == null) {
                    unsupported = "mem_init pattern " + init.pattern() + " (line " + init.line() + ")";
                }
                mem.zero(init.base(), init.size());
            } else if (c instanceof TraceCommand.MemLoad load) {
                for (DatFile.Chunk chunk : loaded.images().get(load.file())) {
                    mem.write(load.base() + chunk.offset(), chunk.bytes());
                }
            }
        }
        List<TraceCommand.CheckCrc> checks = trace.checks();
        if (unsupported == null && checks.isEmpty()) {
            unsupported = "no check_crc to verify";
        }
        if (unsupported == null && !started.contains(Unit.SDP)) {
            unsupported = "no SDP layer is started (NVDLA_SDP.D_OP_ENABLE_0 never set)";
        }
        if (unsupported == null && (regs.flag(Unit.SDP, "S_POINTER_0", "PRODUCER")
                || regs.flag(Unit.CDMA, "S_POINTER_0", "PRODUCER"))) {
            unsupported = "register group 1 (S_POINTER.PRODUCER=1)";
        }
        if (unsupported != null) {
            return TraceResult.unsupported(trace, unsupported);
        }
        PredictedCounters counters;
        try {
            counters = TraceLayer.run(regs, mem, hardware, engine);
        } catch (UnsupportedTraceException e) {
            return TraceResult.unsupported(trace, e.getMessage());
        }
        List<CrcCheck> results = new ArrayList<>();
        List<TraceResult.MemoryRegion> regions = new ArrayList<>();
        for (TraceCommand.CheckCrc check : checks) {
            if (check.size() > Integer.MAX_VALUE - 8) {
                return TraceResult.unsupported(trace, "check_crc region of " + check.size() + " bytes is too large");
            }
            byte[] bytes = mem.read(check.base(), (int) check.size());
            CRC32 crc = new CRC32();
            crc.update(bytes);
            results.add(new CrcCheck(check.base(), check.size(), check.golden(), crc.getValue()));
            regions.add(new TraceResult.MemoryRegion(check.base(), bytes));
        }
        boolean all = results.stream().allMatch(CrcCheck::match);
        return new TraceResult(trace.name(), trace.cfg(), all ? TraceResult.Status.MATCH : TraceResult.Status.MISMATCH,
                null, results, counters, regions);
    }

    /** Applies one register write; returns why the trace is unsupported, if it is. */
    private static Optional<String> applyWrite(TraceCommand.RegWrite w, RegisterMap map, RegisterFile regs,
            Set<Unit> started) {
        Optional<Unit> unit = Unit.fromTraceName(w.unit());
        boolean opEnable = w.register().equals("D_OP_ENABLE_0") && (w.value() & 1) != 0;
        if (unit.isEmpty()) {
            if (opEnable && UNMODELLED_ENGINES.contains(w.unit())) {
                return Optional.of(w.unit() + " is not modelled (line " + w.line() + " starts it)");
            }
            return Optional.empty();                // e.g. MCIF/CVIF tuning: no datapath effect
        }
        Optional<RegisterSpec> spec = map.find(unit.get(), w.register());
        if (spec.isEmpty()) {
            return Optional.of("unknown register " + w.traceName() + " (line " + w.line() + ")");
        }
        if (opEnable) {
            started.add(unit.get());
        } else if (!started.isEmpty() && w.register().startsWith("D_") && !w.register().equals("D_OP_ENABLE_0")) {
            return Optional.of("several layers in one trace (" + w.traceName() + " written after a unit was started,"
                    + " line " + w.line() + ")");
        }
        regs.write(spec.get(), w.value());
        return Optional.empty();
    }
}
