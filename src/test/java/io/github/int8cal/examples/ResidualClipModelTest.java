package io.github.int8cal.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidualClipModelTest {

    static final String[] ITS = {"residual-overwrite-fails", "residual-overwrite-precise"};

    @Test
    void committedItModelsAreWhatTheGeneratorProduces(@TempDir Path tmp) throws Exception {
        ResidualClipModel.write(tmp);
        for (String it : ITS) {
            Path dir = Path.of("src/it", it);
            if (Boolean.getBoolean("nvdla-int8.regenerate")) {
                ResidualClipModel.write(dir);
            }
            for (String f : new String[] {"model.prototxt", "model.caffemodel", "stats.json"}) {
                assertArrayEquals(Files.readAllBytes(tmp.resolve(f)), Files.readAllBytes(dir.resolve(f)),
                        dir.resolve(f) + ": regenerate with -Dnvdla-int8.regenerate=true");
            }
        }
    }

    /**
     * Interval arithmetic by hand for stem (gain 2, seed 1): filter k holds 1.0 at channel k and
     * ((7 + 3k + 5c) % 9 - 4) / 8 elsewhere, bias ((1 + k) % 5 - 2) * 0.02. Filter 0: others c = 1, 2, 3
     * give (12 % 9 - 4)/8 = -0.125, (17 % 9 - 4)/8 = 0.5, (22 % 9 - 4)/8 = 0; bias -0.02; with inputs
     * in [-1, 1] its range is -0.02 +- (1 + 0.125 + 0.5) = [-1.645, 1.605]. Likewise filter 1: others
     * -0.375, -0.25, 0.375, bias 0 -> [-2.0, 2.0]; filter 2: 0, -0.5, -0.375, bias 0.02 -> [-1.855, 1.895];
     * filter 3: 0.375, -0.125, 0.5, bias 0.04 -> [-1.96, 2.04]. The tensor's range is [-2.0, 2.04].
     */
    @Test
    void statisticsAreTheWorstCaseRanges() {
        float[][] w = ResidualNets.weights(4, 1, 2f);
        assertArrayEquals(new float[] {1f, -0.125f, 0.5f, 0f}, w[0]);
        assertEquals(-0.02f, ResidualNets.bias(4, 1, 2f)[0], 1e-7f);
        double[] stem = ResidualClipModel.ranges().get("stem");
        assertEquals(-2.0, stem[0], 1e-6);
        assertEquals(2.04, stem[1], 1e-6);
    }
}
