package io.github.int8cal.pipeline;

import java.util.ArrayList;
import java.util.List;

/** A build log that keeps every line, by level, for assertions. */
final class ListLog implements BuildLog {

    final List<String> info = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<String> debug = new ArrayList<>();

    @Override
    public void info(String message) {
        info.add(message);
    }

    @Override
    public void warn(String message) {
        warnings.add(message);
    }

    @Override
    public void debug(String message) {
        debug.add(message);
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }
}
