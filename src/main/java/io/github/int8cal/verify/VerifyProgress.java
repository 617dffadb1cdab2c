package io.github.int8cal.verify;

/** Receives progress lines of a long verification run (the pipeline logs them at info). */
@FunctionalInterface
public interface VerifyProgress {

    VerifyProgress NONE = message -> { };

    void report(String message);
}
