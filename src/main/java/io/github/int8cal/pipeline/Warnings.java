package io.github.int8cal.pipeline;

import io.github.int8cal.problems.Problem;
import io.github.int8cal.verify.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Every warning of one calibrate run, in the order the phases find them. Each is logged once, when
 * it is added; {@link #all()} goes into the run's result and {@link #forReport()} into
 * {@code report.json}'s {@code "warnings"} (which leaves out what the report shows in its own
 * sections: register diagnostics and gate violations).
 */
final class Warnings {

    private record Entry(Problem problem, boolean inReport, boolean inResult) {

        Entry(Problem problem, boolean inReport) {
            this(problem, inReport, true);
        }
    }

    private final BuildLog log;
    private final List<Entry> entries = new ArrayList<>();

    Warnings(BuildLog log) {
        this.log = log;
    }

    /** A finding about the inputs (statistics, model, calibration, table names). */
    void input(Problem p) {
        log.warn("nvdla-int8: " + p);
        entries.add(new Entry(p, true));
    }

    /** A scale mismatch left in place because scale unification is off. */
    void unification(String where, String message) {
        log.warn("nvdla-int8: " + message + " (unifyScales=false)");
        entries.add(new Entry(new Problem(where, message), true));
    }

    /** A register-planning diagnostic (the report lists them under {@code "diagnostics"}). */
    void registers(Problem p) {
        log.warn("nvdla-int8: registers: " + p);
        entries.add(new Entry(p, false));
    }

    /**
     * A tensor whose scale the compiler's element-wise equalization replaced. Measured by the
     * verification: logged and kept like any warning; otherwise only in the report (the planner's
     * diagnostic has said it).
     */
    void overwrite(Problem p, boolean measured) {
        if (measured) {
            log.warn("nvdla-int8: " + p);
        }
        entries.add(new Entry(p, true, measured));
    }

    /** A gate violation that only warns (the report lists them under {@code "violations"}). */
    void gate(Violation v) {
        log.warn("nvdla-int8: INT8 gate (failOnViolation=false): " + v.describe());
        entries.add(new Entry(new Problem("layer '" + v.layer() + "'", "INT8 gate: " + v.describe()), false));
    }

    /** Something the user asked for that this run cannot do (the reason is the message). */
    void run(String message) {
        log.warn("nvdla-int8: " + message);
        entries.add(new Entry(new Problem(null, message), false));
    }

    List<Problem> all() {
        return entries.stream().filter(Entry::inResult).map(Entry::problem).toList();
    }

    List<String> forReport() {
        return entries.stream().filter(Entry::inReport).map(e -> e.problem().toString()).toList();
    }
}
