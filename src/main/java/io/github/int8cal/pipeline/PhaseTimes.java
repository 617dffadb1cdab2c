package io.github.int8cal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Wall time of each phase of a calibrate run, logged once at the end so that users can see where
 * the time of their build goes (reading, calibration, planning, verification, writing).
 */
final class PhaseTimes {

    private record Phase(String name, long nanos, String detail) {
    }

    private final List<Phase> phases = new ArrayList<>();
    private long start = System.nanoTime();

    /** Ends the current phase under {@code name} and starts the next one. */
    void lap(String name) {
        lap(name, null);
    }

    void lap(String name, String detail) {
        long now = System.nanoTime();
        phases.add(new Phase(name, now - start, detail));
        start = now;
    }

    String render() {
        StringBuilder s = new StringBuilder("nvdla-int8: time");
        long total = 0;
        for (Phase p : phases) {
            total += p.nanos;
            s.append(String.format(Locale.ROOT, "%s %s %.2f s", total == p.nanos ? ":" : ",", p.name, p.nanos / 1e9));
            if (p.detail != null) {
                s.append(" (").append(p.detail).append(')');
            }
        }
        return s.append(String.format(Locale.ROOT, "; total %.2f s", total / 1e9)).toString();
    }
}
