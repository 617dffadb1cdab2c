package io.github.int8cal.pipeline;

import io.github.int8cal.problems.ProblemException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Runs the calibrate goal's work: read statistics, choose amax values, write the tables. */
public final class CalibratePipeline {

    /** What a run wrote. */
    public record Result(List<Path> writtenFiles) {
    }

    private final BuildLog log;

    public CalibratePipeline(BuildLog log) {
        this.log = log;
    }

    public Result run(CalibrateRequest request) throws ProblemException, IOException {
        log.info("nvdla-int8: calibrating " + request.statistics());
        throw new UnsupportedOperationException("not yet implemented");
    }
}
