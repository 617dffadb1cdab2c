package io.github.int8cal.model;

import io.github.int8cal.problems.ProblemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads model files whole, after checking they exist and fit the format's size limit (never OOM). */
public final class ModelFiles {

    /** protobuf messages cannot exceed 2 GiB; Java arrays stop just below it. */
    public static final long PROTOBUF_LIMIT = Integer.MAX_VALUE - 8L;

    private ModelFiles() {
    }

    public static byte[] read(Path file, String what, long limit) throws ProblemException {
        if (!Files.exists(file)) {
            throw new ProblemException(file.toString(), what + " not found; check the path");
        }
        if (!Files.isRegularFile(file)) {
            throw new ProblemException(file.toString(), what + " is not a regular file");
        }
        try {
            long size = Files.size(file);
            if (size > limit) {
                throw new ProblemException(file.toString(), String.format(Locale.ROOT,
                        "%s is %d bytes, more than the %d bytes this format allows", what, size, limit));
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ProblemException(file.toString(), "cannot read " + what + ": " + e.getMessage());
        }
    }

    /** True when the bytes start (after blanks) like a text file a user may have passed by mistake. */
    public static String textKind(byte[] bytes) {
        for (byte b : bytes) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                continue;
            }
            if (b == '{' || b == '[') {
                return "JSON";
            }
            if (b == '<') {
                return "XML/HTML";
            }
            return null;
        }
        return bytes.length == 0 ? "empty" : null;
    }
}
