package io.github.int8cal.emit;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * File names for layers: letters, digits, {@code _}, {@code -} and {@code .} are kept, every other
 * UTF-8 byte is percent-encoded ({@code res2a/branch1:0} -> {@code res2a%2Fbranch1%3A0}), as is a
 * leading dot, so no character is dropped, two layers never share a file and no name can climb out
 * of the output folder.
 */
public final class LayerFileNames {

    private LayerFileNames() {
    }

    public static String encode(String layer) {
        StringBuilder sb = new StringBuilder();
        byte[] bytes = layer.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean keep = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_'
                    || b == '-' || (b == '.' && i > 0);
            if (keep) {
                sb.append((char) b);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", b));
            }
        }
        return sb.length() == 0 ? "%00empty" : sb.toString();
    }

    /** layer name -> file stem, in the given order. */
    public static Map<String, String> of(Collection<String> layers) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String l : layers) {
            names.put(l, encode(l));
        }
        return names;
    }
}
