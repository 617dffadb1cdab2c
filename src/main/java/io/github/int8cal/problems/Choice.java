package io.github.int8cal.problems;

/**
 * A setting value users name by an id: the enum constant's name in lower case with {@code -} for
 * {@code _} ({@code per-filter} for {@code PER_FILTER}). Each such enum also has a static
 * {@code fromId(String)} built on {@link Ids#parse}, so every unknown id is reported the same way.
 */
public interface Choice {

    /** The constant's name (every enum has it). */
    String name();

    /** The id users type and reports print. */
    default String id() {
        return Ids.of(name());
    }
}
