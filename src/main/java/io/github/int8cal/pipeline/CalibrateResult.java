package io.github.int8cal.pipeline;

import io.github.int8cal.problems.Problem;
import io.github.int8cal.verify.VerificationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a calibrate run did.
 *
 * @param calibrationCache the TensorRT cache written
 * @param calibtable       the nvdla_compiler table written
 * @param report           the report written
 * @param tensors          number of tensors in the tables
 * @param methods          tensors per method ({@code entropy}, {@code imported}, {@code override}, ...)
 * @param warnings         every warning, also logged
 * @param registers        {@code registers.json} and the {@code registers/} fragments written
 *                         (empty when no registers were planned)
 * @param verification     the INT8 verification, or {@code null} when it did not run
 * @param junitXml         {@code TEST-nvdla-int8.xml} written into the report directory, or {@code null}
 */
public record CalibrateResult(Path calibrationCache, Path calibtable, Path report, int tensors,
        SortedMap<String, Integer> methods, List<Problem> warnings, List<Path> registers,
        VerificationReport verification, Path junitXml) {

    public CalibrateResult {
        methods = Collections.unmodifiableSortedMap(new TreeMap<>(methods));
        warnings = List.copyOf(warnings);
        registers = List.copyOf(registers);
    }

    /** Every file written: the tables, the report, the registers, then the JUnit XML. */
    public List<Path> written() {
        List<Path> all = new ArrayList<>(List.of(calibrationCache, calibtable, report));
        all.addAll(registers);
        if (junitXml != null) {
            all.add(junitXml);
        }
        return List.copyOf(all);
    }
}
