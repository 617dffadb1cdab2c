package io.github.int8cal.pipeline;

import io.github.int8cal.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Skips a run whose inputs, configuration and plugin version are unchanged since the last
 * successful run. The marker lives under the build directory, so {@code mvn clean} resets it; it
 * is written only after every output was written, and it lists those outputs so that a deleted
 * output forces a new run.
 */
public final class UpToDateCheck {

    private final Path marker;

    public UpToDateCheck(Path marker) {
        this.marker = marker;
    }

    /**
     * SHA-256 over the plugin version, the configuration text and every input file (its path and
     * its bytes), in the given order. A missing input digests as "missing", so that the run
     * happens and reports the real error.
     */
    public static String digest(String toolVersion, String configuration, List<Path> inputs) throws IOException {
        MessageDigest sha = sha256();
        update(sha, "tool=" + toolVersion);
        update(sha, "config=" + configuration);
        byte[] buffer = new byte[1 << 16];
        for (Path input : inputs) {
            update(sha, "input=" + input.toAbsolutePath().normalize());
            if (!Files.isRegularFile(input)) {
                update(sha, "missing");
                continue;
            }
            try (InputStream in = Files.newInputStream(input)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** True when the marker records {@code digest} and every output it lists still exists. */
    public boolean isUpToDate(String digest) throws IOException {
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(digest)) {
            return false;
        }
        for (String output : lines.subList(1, lines.size())) {
            if (!Files.isRegularFile(Path.of(output))) {
                return false;
            }
        }
        return true;
    }

    /** Forgets the last run; call before writing outputs so that a failed run is never "up to date". */
    public void invalidate() throws IOException {
        Files.deleteIfExists(marker);
    }

    /** Records a successful run that wrote {@code outputs}. */
    public void record(String digest, List<Path> outputs) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(digest);
        for (Path output : outputs) {
            lines.add(output.toAbsolutePath().normalize().toString());
        }
        AtomicFiles.writeString(marker, String.join("\n", lines) + "\n");
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
