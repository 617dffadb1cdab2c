package io.github.int8cal.problems;

/**
 * One thing wrong with the user's input, located as precisely as we can: {@code where} is
 * {@code path:line:column}, {@code path}, or a tensor/layer name; {@code message} says what was
 * expected and, where possible, how to fix it.
 */
public record Problem(String where, String message) {

    @Override
    public String toString() {
        return where == null || where.isEmpty() ? message : where + ": " + message;
    }
}
