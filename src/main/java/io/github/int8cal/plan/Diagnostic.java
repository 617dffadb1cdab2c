package io.github.int8cal.plan;

/** One finding about a layer's requantization: layer name, stable code, severity, human message. */
public record Diagnostic(String layer, DiagnosticCode code, Severity severity, String message) {

    @Override
    public String toString() {
        return severity + " " + layer + " [" + code + "]: " + message;
    }
}
