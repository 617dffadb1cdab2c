package io.github.int8cal.stats;

import java.util.Collection;
import java.util.List;

/** "Did you mean" hints for misspelt field names. */
public final class FieldHints {

    private FieldHints() {
    }

    /** {@code "unknown field 'x'; expected one of a, b (did you mean 'b'?)"}. */
    static String unknownField(String name, List<String> known) {
        StringBuilder sb = new StringBuilder("unknown field '").append(name).append("'; expected one of ")
                .append(String.join(", ", known));
        String close = closest(name, known);
        if (close != null) {
            sb.append(" (did you mean '").append(close).append("'?)");
        }
        return sb.toString();
    }

    /** The known name closest to {@code name} if it is close enough to be a likely typo, else null. */
    public static String closest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(1, Math.min(3, name.length() / 3)) ? best : null;
    }

    /** Edit distance with adjacent transpositions (optimal string alignment); names are short. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        int[] prevPrev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    cur[j] = Math.min(cur[j], prevPrev[j - 2] + 1); // a swapped pair counts as one edit
                }
            }
            int[] t = prevPrev;
            prevPrev = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
