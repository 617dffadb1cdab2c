package io.github.int8cal.bench;

import io.github.int8cal.calib.AbsHistogram;
import io.github.int8cal.calib.EntropyCalibrator;
import io.github.int8cal.calib.MseCalibrator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Entropy (1921 candidates) and MSE on 1,000 tensors of 2048 bins. Run with
 * {@code java -cp <test classpath> org.openjdk.jmh.Main EntropyBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class EntropyBench {

    AbsHistogram[] tensors;

    @Setup
    public void setUp() {
        tensors = histograms(1000, 42);
    }

    /** Seeded histograms shaped like activations: exponential decay, some empty bins, outliers at the top. */
    public static AbsHistogram[] histograms(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        AbsHistogram[] out = new AbsHistogram[count];
        for (int t = 0; t < count; t++) {
            double[] c = new double[2048];
            double decay = 20 + random.nextInt(600);
            for (int j = 0; j < 2048; j++) {
                c[j] = random.nextInt(5) == 0 ? 0 : Math.floor(1e6 * Math.exp(-j / decay)) + random.nextInt(3);
            }
            c[2047] += 1 + random.nextInt(10);
            out[t] = AbsHistogram.ofCounts(1 + random.nextDouble() * 10, c);
        }
        return out;
    }

    @Benchmark
    public double entropy1000Tensors() {
        EntropyCalibrator e = new EntropyCalibrator();
        double sum = 0;
        for (AbsHistogram h : tensors) {
            sum += e.calibrate(h).amax();
        }
        return sum;
    }

    @Benchmark
    public double mse1000Tensors() {
        MseCalibrator m = new MseCalibrator();
        double sum = 0;
        for (AbsHistogram h : tensors) {
            sum += m.amax(h);
        }
        return sum;
    }
}
