package io.github.int8cal.problems;

/**
 * A builder whose values are checked together: {@link #build(Problems)} adds every problem it finds
 * and still returns a value, so that a caller collecting several builders' problems reports all of
 * them at once; {@link #build()} is for values set in code, where a problem is a bug.
 */
public interface CheckedBuilder<T> {

    /** The value; its problems are added to {@code problems}. */
    T build(Problems problems);

    /** The value, or an {@link IllegalArgumentException} listing every problem. */
    default T build() {
        Problems problems = new Problems();
        T value = build(problems);
        problems.throwIfAnyUnchecked();
        return value;
    }
}
