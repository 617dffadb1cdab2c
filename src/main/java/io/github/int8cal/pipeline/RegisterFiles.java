package io.github.int8cal.pipeline;

import io.github.int8cal.emit.RegisterTraceWriter;
import io.github.int8cal.io.AtomicFiles;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.problems.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts {@code registers.json} and the {@code registers/} folder into the output directory as one
 * set: the fragments are written into a fresh hidden folder next to it, which then replaces
 * {@code registers/} by a rename, and only then is {@code registers.json} replaced. The folder
 * belongs to the plugin; it may hold only {@code .cfg} and {@code .dat} files, so replacing it
 * never deletes a file the user put there ({@link #checkOwned} refuses before anything is written).
 */
final class RegisterFiles {

    /** Prefix of the staging folders; left-overs of an interrupted run are removed by the next one. */
    static final String STAGING_PREFIX = ".nvdla-int8-registers-";

    private RegisterFiles() {
    }

    /** Fails when {@code registers/} holds anything the plugin would not have written. */
    static void checkOwned(Path outputDirectory) throws ProblemException, IOException {
        Path dir = outputDirectory.resolve(RegisterTraceWriter.FRAGMENT_DIR);
        Problems problems = new Problems();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(dir.toString(), "is not a folder; the plugin writes the register fragments there:"
                        + " move it away or choose another <outputDirectory>");
            } else {
                for (Path f : list(dir)) {
                    if (!ours(f)) {
                        problems.add(f.toString(), "was not written by the plugin, which replaces "
                                + dir.getFileName() + "/ on every run; move the file out of " + dir);
                    }
                }
            }
        }
        problems.throwIfAny();
    }

    /**
     * Writes the set and returns the files written ({@code registers.json} first, then the
     * fragments in name order). Call {@link #checkOwned} first.
     */
    static List<Path> write(Path outputDirectory, String json, Map<String, String> fragments) throws IOException {
        Files.createDirectories(outputDirectory);
        removeStaging(outputDirectory);
        Path dir = outputDirectory.resolve(RegisterTraceWriter.FRAGMENT_DIR);
        Path staging = Files.createTempDirectory(outputDirectory, STAGING_PREFIX);
        // createTempDirectory makes an owner-only folder; registers/ is an ordinary build folder
        if (Files.getFileStore(staging).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<Path> written = new ArrayList<>();
        written.add(outputDirectory.resolve(CalibratePipeline.REGISTERS_FILE));
        for (Map.Entry<String, String> e : fragments.entrySet()) {
            Files.writeString(staging.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            written.add(dir.resolve(e.getKey()));
        }
        Path old = null;
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            old = Files.createTempDirectory(outputDirectory, STAGING_PREFIX);
            move(dir, old.resolve(RegisterTraceWriter.FRAGMENT_DIR));
        }
        move(staging, dir);
        if (old != null) {
            deleteOurs(old.resolve(RegisterTraceWriter.FRAGMENT_DIR));
            deleteOurs(old);
        }
        AtomicFiles.writeString(outputDirectory.resolve(CalibratePipeline.REGISTERS_FILE), json);
        return written;
    }

    /**
     * Removes {@code registers.json} and the fragments of an earlier run (a run that plans no
     * registers must not ship stale ones). Returns true when something was removed.
     */
    static boolean removeStale(Path outputDirectory) throws IOException {
        if (!Files.isDirectory(outputDirectory)) {
            return false;
        }
        removeStaging(outputDirectory);
        boolean removed = Files.deleteIfExists(outputDirectory.resolve(CalibratePipeline.REGISTERS_FILE));
        Path dir = outputDirectory.resolve(RegisterTraceWriter.FRAGMENT_DIR);
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            removed |= deleteOurs(dir);
        }
        return removed;
    }

    private static void removeStaging(Path outputDirectory) throws IOException {
        for (Path p : list(outputDirectory)) {
            if (p.getFileName().toString().startsWith(STAGING_PREFIX) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Path inner = p.resolve(RegisterTraceWriter.FRAGMENT_DIR);
                if (Files.isDirectory(inner, LinkOption.NOFOLLOW_LINKS)) {
                    deleteOurs(inner);
                }
                deleteOurs(p);
            }
        }
    }

    /**
     * Deletes the plugin's files in {@code dir}, then {@code dir} itself when that left it empty
     * (anything else stays, and so does the folder). Returns true when something was deleted.
     */
    private static boolean deleteOurs(Path dir) throws IOException {
        boolean any = false;
        for (Path f : list(dir)) {
            if (ours(f)) {
                Files.delete(f);
                any = true;
            }
        }
        if (list(dir).isEmpty()) {
            Files.delete(dir);
            any = true;
        }
        return any;
    }

    private static boolean ours(Path f) {
        String n = f.getFileName().toString();
        return (n.endsWith(".cfg") || n.endsWith(".dat")) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS);
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
