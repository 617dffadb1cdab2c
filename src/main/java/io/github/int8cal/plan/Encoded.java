package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.ScaleShift;
import java.util.List;

/** An encoder's answer: the program (null when rejected), per-channel multipliers, findings. */
record Encoded(SdpProgram program, List<ScaleShift> multipliers, List<Diagnostic> diagnostics) {
}
