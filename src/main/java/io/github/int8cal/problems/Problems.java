package io.github.int8cal.problems;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Collects problems while an input is read, so that all of them are reported at once. */
public final class Problems {

    private final List<Problem> list = new ArrayList<>();

    public void add(String where, String message) {
        list.add(new Problem(where, message));
    }

    public void add(Problem problem) {
        list.add(problem);
    }

    /**
     * {@code fromId.apply(text)}; when it rejects the text ({@link IllegalArgumentException}, as
     * every {@code fromId} does), its message becomes a problem at {@code where} and
     * {@code fallback} is returned, so that parsing goes on and every bad value is reported.
     */
    public <T> T parse(String where, String text, Function<String, T> fromId, T fallback) {
        try {
            return fromId.apply(text);
        } catch (IllegalArgumentException e) {
            add(where, e.getMessage());
            return fallback;
        }
    }

    public void addAll(List<Problem> problems) {
        list.addAll(problems);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /**
     * For values built in code rather than read from the user: throws an
     * {@link IllegalArgumentException} listing every problem, or returns when there are none.
     */
    public void throwIfAnyUnchecked() {
        if (!list.isEmpty()) {
            throw new IllegalArgumentException(new ProblemException(list).getMessage());
        }
    }

    /** Throws once with every collected problem, or returns when there are none. */
    public void throwIfAny() throws ProblemException {
        if (!list.isEmpty()) {
            throw new ProblemException(list);
        }
    }
}
