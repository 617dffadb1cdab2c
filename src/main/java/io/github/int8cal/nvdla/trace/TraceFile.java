package io.github.int8cal.nvdla.trace;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed trace: its name (the {@code .cfg} file name without extension), the file, and the
 * commands in file order. {@code ignored} lists commands without datapath effect that were skipped
 * (for example {@code poll_reg_equal}, {@code intr_notify}).
 */
public record TraceFile(String name, Path cfg, List<TraceCommand> commands, List<String> ignored) {

    public TraceFile {
        commands = List.copyOf(commands);
        ignored = List.copyOf(ignored);
    }

    public List<TraceCommand.CheckCrc> checks() {
        return commands.stream().filter(TraceCommand.CheckCrc.class::isInstance)
                .map(TraceCommand.CheckCrc.class::cast).toList();
    }
}
