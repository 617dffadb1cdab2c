package io.github.int8cal.report;

import io.github.int8cal.io.AtomicFiles;
import io.github.int8cal.verify.GateRule;
import io.github.int8cal.verify.GateRules;
import io.github.int8cal.verify.LayerMetrics;
import io.github.int8cal.verify.VerificationReport;
import io.github.int8cal.verify.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the gate as a JUnit XML report ({@value #FILE_NAME}) that CI servers pick up next to
 * Surefire's: one test suite {@code nvdla-int8}, one test case per layer and active rule
 * ({@code classname} = {@code nvdla-int8.<layer>}, {@code name} = the rule), a {@code <failure>} for
 * each violation (type {@code error} when it fails the build, {@code warning} when
 * {@code failOnViolation} is off), {@code <skipped>} where the value could not be computed.
 * Deterministic (no timestamps or times), written atomically.
 */
public final class JUnitXmlWriter {

    public static final String FILE_NAME = "TEST-nvdla-int8.xml";
    static final String SUITE = "nvdla-int8";

    private JUnitXmlWriter() {
    }

    /** Writes {@code directory/TEST-nvdla-int8.xml}; returns the file. */
    public static Path write(Path directory, VerificationReport report, GateRules rules) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        AtomicFiles.writeString(file, render(report, rules));
        return file;
    }

    public static String render(VerificationReport report, GateRules rules) {
        List<String> cases = new ArrayList<>();
        int failures = 0;
        int skipped = 0;
        for (LayerMetrics m : report.layers()) {
            for (GateRule rule : GateRule.values()) {
                Double limit = rules.limit(rule, m.layer(), m.tensor());
                if (limit == null) {
                    continue;
                }
                Double value = rule.value(m);
                StringBuilder c = new StringBuilder();
                c.append("  <testcase classname=\"").append(escape(SUITE + "." + m.layer())).append("\" name=\"")
                        .append(rule.id()).append("\"");
                Violation v = report.violations().stream()
                        .filter(x -> x.layer().equals(m.layer()) && x.rule() == rule).findFirst().orElse(null);
                if (v != null) {
                    failures++;
                    String message = rule.id() + " " + rule.format(v.value()) + ", limit " + rule.format(v.limit());
                    c.append(">\n    <failure type=\"").append(report.failOnViolation() ? "error" : "warning")
                            .append("\" message=\"").append(escape(message)).append("\">")
                            .append(escape(message + "\n" + v.hint())).append("</failure>\n  </testcase>\n");
                } else if (value == null) {
                    skipped++;
                    String why = rule == GateRule.MIN_SQNR_DB && m.maxAbsError() != null && m.maxAbsError() == 0
                            ? "int8 output equals float32 exactly" : "not computed for this layer";
                    c.append(">\n    <skipped message=\"").append(escape(why)).append("\"/>\n  </testcase>\n");
                } else {
                    c.append("/>\n");
                }
                cases.add(c.toString());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<testsuite name=\"").append(SUITE).append("\" tests=\"").append(cases.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"").append(skipped)
                .append("\">\n");
        sb.append("  <properties>\n");
        sb.append("    <property name=\"mode\" value=\"").append(report.mode()).append("\"/>\n");
        sb.append("    <property name=\"samples\" value=\"").append(report.samples()).append("\"/>\n");
        sb.append("    <property name=\"seed\" value=\"").append(report.seed()).append("\"/>\n");
        sb.append("  </properties>\n");
        cases.forEach(sb::append);
        sb.append("</testsuite>\n");
        return sb.toString();
    }

    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\n' -> sb.append("&#10;");
                default -> {
                    // characters XML 1.0 cannot carry at all
                    if (c < 0x20 && c != '\t' && c != '\r') {
                        sb.append('?');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
