package io.github.int8cal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpToDateCheckTest {

    @TempDir
    Path dir;

    @Test
    void digestChangesWithInputBytesConfigurationAndVersion() throws Exception {
        Path in = Files.writeString(dir.resolve("stats.json"), "{}");
        String base = UpToDateCheck.digest("1.0", "method=entropy", List.of(in));
        assertEquals(base, UpToDateCheck.digest("1.0", "method=entropy", List.of(in)));
        assertNotEquals(base, UpToDateCheck.digest("1.1", "method=entropy", List.of(in)));
        assertNotEquals(base, UpToDateCheck.digest("1.0", "method=max", List.of(in)));
        Files.writeString(in, "{ }");
        assertNotEquals(base, UpToDateCheck.digest("1.0", "method=entropy", List.of(in)));
    }

    @Test
    void upToDateOnlyWhenDigestMatchesAndOutputsExist() throws Exception {
        Path out = Files.writeString(dir.resolve("calibration.cache"), "TRT-8601-EntropyCalibration2\n");
        UpToDateCheck check = new UpToDateCheck(dir.resolve("marker"));
        assertFalse(check.isUpToDate("abc"));
        check.record("abc", List.of(out));
        assertTrue(check.isUpToDate("abc"));
        assertFalse(check.isUpToDate("abd"));
        Files.delete(out);
        assertFalse(check.isUpToDate("abc"));
    }

    @Test
    void invalidateForgetsTheLastRun() throws Exception {
        UpToDateCheck check = new UpToDateCheck(dir.resolve("marker"));
        check.record("abc", List.of());
        check.invalidate();
        assertFalse(check.isUpToDate("abc"));
    }
}
