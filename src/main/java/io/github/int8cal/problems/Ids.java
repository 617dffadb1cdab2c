package io.github.int8cal.problems;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The names users type for choices ({@code per-filter} for {@code PER_FILTER}) and the one way an
 * unknown name is reported: {@code unknown <what> '<text>'; expected one of a, b, c}. Every
 * setting enum is a {@link Choice} with a {@code fromId(String)} built on {@link #parse}.
 */
public final class Ids {

    private Ids() {
    }

    /** A constant's id: its name in lower case with {@code -} for {@code _}. */
    public static String of(String constantName) {
        return constantName.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant whose id is {@code text} (trimmed, any case).
     *
     * @param what what the constants are, for the message ("calibration method")
     * @throws IllegalArgumentException naming the text and every id
     */
    public static <E extends Enum<E> & Choice> E parse(Class<E> type, String text, String what) {
        return parse(text, what, Arrays.asList(type.getEnumConstants()), Choice::id);
    }

    /** The choice whose id is {@code text} (trimmed, any case); the same message as for enums. */
    public static <T> T parse(String text, String what, Collection<T> choices, Function<T, String> id) {
        String wanted = text == null ? "" : text.trim();
        for (T c : choices) {
            if (id.apply(c).equalsIgnoreCase(wanted)) {
                return c;
            }
        }
        throw new IllegalArgumentException(unknown(what, text, choices.stream().map(id).toList()));
    }

    /** {@code unknown <what> '<text>'; expected one of a, b, c}. */
    public static String unknown(String what, String text, List<String> ids) {
        return "unknown " + what + " '" + text + "'; expected one of " + String.join(", ", ids);
    }
}
