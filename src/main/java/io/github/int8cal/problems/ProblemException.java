package io.github.int8cal.problems;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every problem found in an input, collected before failing once. The Maven layer turns this into
 * a single {@code MojoFailureException}; the core never throws Maven types.
 */
public class ProblemException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public ProblemException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public ProblemException(Problem problem) {
        this(List.of(problem));
    }

    public ProblemException(String where, String message) {
        this(new Problem(where, message));
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        if (problems.size() == 1) {
            return problems.get(0).toString();
        }
        return problems.size() + " problems:\n" + problems.stream()
                .map(p -> "  " + p)
                .collect(Collectors.joining("\n"));
    }
}
