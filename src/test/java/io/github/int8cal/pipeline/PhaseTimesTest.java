package io.github.int8cal.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhaseTimesTest {

    @Test
    void rendersEveryPhaseInOrderWithItsDetailAndTheTotal() {
        PhaseTimes times = new PhaseTimes();
        times.lap("read");
        times.lap("verify", "float32 1.00 s");
        String line = times.render();
        assertTrue(line.matches("nvdla-int8: time: read \\d+\\.\\d\\d s, verify \\d+\\.\\d\\d s \\(float32 1\\.00 s\\);"
                + " total \\d+\\.\\d\\d s"), line);
    }
}
