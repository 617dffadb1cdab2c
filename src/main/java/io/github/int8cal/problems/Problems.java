package io.github.int8cal.problems;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while an input is read, so that all of them are reported at once. */
public final class Problems {

    private final List<Problem> list = new ArrayList<>();

    public void add(String where, String message) {
        list.add(new Problem(where, message));
    }

    public void add(Problem problem) {
        list.add(problem);
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

    /** Throws once with every collected problem, or returns when there are none. */
    public void throwIfAny() throws ProblemException {
        if (!list.isEmpty()) {
            throw new ProblemException(list);
        }
    }
}
