package io.github.int8cal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesContentAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("sub/calibration.cache");
        AtomicFiles.writeString(target, "one\n");
        AtomicFiles.writeString(target, "two\n");
        assertEquals("two\n", Files.readString(target));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void writtenFilesAreReadableByOthersLikeOrdinaryBuildOutputs() throws Exception {
        Path target = dir.resolve("registers.json");
        AtomicFiles.writeString(target, "{}");
        assertTrue(Files.getPosixFilePermissions(target).contains(PosixFilePermission.OTHERS_READ));
    }
}
