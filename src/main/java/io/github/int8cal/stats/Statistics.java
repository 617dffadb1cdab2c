package io.github.int8cal.stats;

import io.github.int8cal.problems.Problem;
import java.nio.file.Path;
import java.util.List;

/**
 * A statistics file, read and validated.
 *
 * @param source    the file read
 * @param format    its format (detected or forced)
 * @param trtHeader the TensorRT cache header when the input was a cache, else {@code null}
 * @param tensors   per-tensor statistics in file order (names unique)
 * @param warnings  things worth telling the user that do not stop the build (zero scales, names
 *                  with ':'), each located
 */
public record Statistics(Path source, StatisticsFormat format, TrtCacheHeader trtHeader,
        List<TensorStatistics> tensors, List<Problem> warnings) {

    public Statistics {
        tensors = List.copyOf(tensors);
        warnings = List.copyOf(warnings);
    }

    public TensorStatistics tensor(String name) {
        for (TensorStatistics t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
