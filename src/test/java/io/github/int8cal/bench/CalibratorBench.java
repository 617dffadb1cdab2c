package io.github.int8cal.bench;

import io.github.int8cal.calib.CalibrationChoice;
import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.calib.CalibrationTable;
import io.github.int8cal.calib.Calibrator;
import io.github.int8cal.calib.PercentileCalibrator;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.stats.Histogram;
import io.github.int8cal.stats.Statistics;
import io.github.int8cal.stats.StatisticsFormat;
import io.github.int8cal.stats.TensorStatistics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Time for {@link Calibrator#calibrate} to calibrate 1,000 tensors with 2048-bin |x| histograms, one
 * figure per method (max, percentile, entropy, mse). The histograms are seeded mixtures of a
 * ReLU-Gaussian head and an exponential long tail with a few outliers, on the identity grid
 * (so no re-binning cost is measured, only the calibration rule).
 *
 * <p>Run from the project root (one fork, 2 warm-up and 3 measured single shots per method):
 * <pre>
 * ./mvnw -B -o -q test-compile
 * ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -Djmh.ignoreLock=true -cp target/classes:target/test-classes:$(cat cp.txt) io.github.int8cal.bench.CalibratorBench
 * </pre>
 * The classpath step needs the network once (maven-dependency-plugin is not in the offline cache);
 * {@code -Djmh.ignoreLock} lets it run while another JMH run holds {@code /tmp/jmh.lock} on a shared
 * machine. Extra arguments replace the defaults and go to JMH, e.g.
 * {@code -p method=mse -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(1)
public class CalibratorBench {

    static final int TENSORS = 1000;
    static final int BINS = 2048;

    @Param({"max", "percentile", "entropy", "mse"})
    public String method;

    Statistics statistics;
    CalibrationChoice choice;

    @Setup
    public void setUp() {
        statistics = statistics(TENSORS, 42);
        choice = CalibrationChoice.of(CalibrationMethod.fromId(method), PercentileCalibrator.DEFAULT_PERCENTILE);
    }

    /**
     * Seeded activation-like statistics: each tensor has a half-Gaussian head (a ReLU output) of
     * random width, an exponential tail of random weight and length, and 1..5 outliers in the top bin;
     * about a tenth of the bins are emptied at random, as sparse calibration sets leave them.
     */
    public static Statistics statistics(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TensorStatistics> tensors = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            double max = 1 + random.nextDouble() * 20;
            double sigma = max * (0.01 + 0.1 * random.nextDouble());
            double tailScale = max * (0.05 + 0.3 * random.nextDouble());
            double headMass = 1e5 + random.nextInt(1_000_000);
            double tailMass = headMass * (1e-4 + 0.05 * random.nextDouble());
            double w = max / BINS;
            long[] c = new long[BINS];
            for (int j = 0; j < BINS; j++) {
                double x = (j + 0.5) * w;
                double head = headMass * w / sigma * Math.exp(-0.5 * (x / sigma) * (x / sigma));
                double tail = tailMass * w / tailScale * Math.exp(-x / tailScale);
                c[j] = random.nextInt(10) == 0 ? 0 : (long) Math.floor(head + tail + random.nextDouble());
            }
            c[BINS - 1] += 1 + random.nextInt(5);
            tensors.add(new TensorStatistics("t" + t, 0, max, new Histogram(0, max, true, c), null, "bench:" + t));
        }
        return new Statistics(Path.of("bench.json"), StatisticsFormat.JSON, null, tensors, List.of());
    }

    @Benchmark
    public CalibrationTable calibrate1000Tensors() throws ProblemException {
        return new Calibrator().calibrate(statistics, choice, Map.of(), false);
    }

    public static void main(String[] args) throws RunnerException {
        if (args.length > 0) {
            String[] jmh = new String[args.length + 1];
            jmh[0] = CalibratorBench.class.getSimpleName();
            System.arraycopy(args, 0, jmh, 1, args.length);
            try {
                org.openjdk.jmh.Main.main(jmh);
            } catch (java.io.IOException e) {
                throw new RunnerException("JMH failed", e);
            }
            return;
        }
        new Runner(new OptionsBuilder().include(CalibratorBench.class.getName())
                .forks(1).warmupIterations(2).measurementIterations(3).build()).run();
    }
}
