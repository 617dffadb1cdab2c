package io.github.int8cal.pipeline;

import io.github.int8cal.problems.ProblemException;
import java.io.IOException;

/** Runs the calibrate goal's work: read statistics, choose amax values, write the tables. */
public final class CalibratePipeline {

    private final BuildLog log;

    public CalibratePipeline(BuildLog log) {
        this.log = log;
    }

    public void run(CalibrateRequest request) throws ProblemException, IOException {
        log.info("nvdla-int8: calibrating " + request.statistics());
        throw new UnsupportedOperationException("not yet implemented");
    }
}
