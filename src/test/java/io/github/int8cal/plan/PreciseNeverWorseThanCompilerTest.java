package io.github.int8cal.plan;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.fixedpoint.CompilerScaleShift;
import io.github.int8cal.fixedpoint.WeightScope;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Property: precise mode's worst effective-multiplier error never exceeds compiler mode's. */
class PreciseNeverWorseThanCompilerTest {

    private static final long SEED = 0x5EED_4_2024L;

    @Test
    void singleFactors() {
        SplittableRandom random = new SplittableRandom(SEED);
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            float r = (float) Math.scalb(1 + random.nextDouble(), random.nextInt(-50, 16));
            Encoded c = CompilerRequantEncoder.encode("l", LayerKind.CONV_UNIT_SCALE, true, new float[] {r}, null, false);
            Encoded p = PreciseRequantEncoder.encode("l", LayerKind.CONV_UNIT_SCALE, true, new double[] {r},
                    shiftOf(c), null, false, true, ConvCoreProgram.COMPILER);
            assertNotNull(p.program(), "precise never rejects");
            double pe = worst(p, new double[] {r});
            assertTrue(pe <= Math.scalb(1.0, -15), () -> r + " precise error " + pe);
            if (c.program() != null) {
                double ce = worst(c, new double[] {r});
                assertTrue(pe <= ce, () -> r + ": precise " + pe + " > compiler " + ce);
                compared++;
            }
        }
        assertTrue(compared > 15_000, "most factors are encodable by the compiler");
    }

    @Test
    void perChannelFactorsWithSharedShift() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        int compared = 0;
        for (int i = 0; i < 3_000; i++) {
            int k = random.nextInt(1, 64);
            float[] r = new float[k];
            double[] ideal = new double[k];
            int base = random.nextInt(-40, 6);
            int spread = random.nextInt(0, 20);
            for (int j = 0; j < k; j++) {
                r[j] = (float) Math.scalb(1 + random.nextDouble(), base - random.nextInt(0, spread + 1))
                        * (random.nextInt(10) == 0 ? -1 : 1);
                ideal[j] = r[j];
            }
            Encoded c = CompilerRequantEncoder.encode("l", LayerKind.CONV_UNIT_SCALE, false, r, null, false);
            CompilerScaleShift.Shared shared = CompilerScaleShift.encodeShared(r);
            Integer shift = shared.rejected() || shared.inconsistentShifts() ? null : shared.programmedShift();
            for (boolean x2 : new boolean[] {false, true}) {
                Encoded p = PreciseRequantEncoder.encode("l", LayerKind.CONV_UNIT_SCALE, false, ideal, shift, null,
                        false, x2, ConvCoreProgram.COMPILER);
                double pe = worst(p, ideal);
                if (c.program() != null) {
                    double ce = worst(c, ideal);
                    assertTrue(pe <= ce, () -> "precise " + pe + " > compiler " + ce);
                    compared++;
                }
            }
        }
        assertTrue(compared > 1_000);
    }

    @Test
    void randomConvLayersEndToEnd() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        for (int i = 0; i < 300; i++) {
            int k = random.nextInt(1, 32);
            int c = random.nextInt(1, 8);
            float[][] w = new float[k][c * 9];
            float[] b = new float[k];
            for (int j = 0; j < k; j++) {
                double filterScale = Math.scalb(1.0, -random.nextInt(0, 10));
                for (int x = 0; x < w[j].length; x++) {
                    w[j][x] = (float) (random.nextGaussian() * filterScale);
                }
                b[j] = (float) random.nextGaussian(0, 0.1);
            }
            float si = (float) Math.scalb(1 + random.nextDouble(), -random.nextInt(3, 9));
            float so = (float) Math.scalb(1 + random.nextDouble(), -random.nextInt(2, 8));
            ConvLayerInput in = new ConvLayerInput("conv" + i, w, c, random.nextBoolean() ? b : null, null, null,
                    random.nextBoolean(), si, so, random.nextInt(4) == 0);
            for (WeightScope scope : WeightScope.values()) {
                LayerRequant cr = ConvRequantizer.plan(in, PlanOptions.compiler(scope));
                LayerRequant pr = ConvRequantizer.plan(in, PlanOptions.precise(scope));
                assertTrue(!pr.rejected(), pr::explain);
                if (!cr.rejected()) {
                    assertTrue(pr.worstRelativeError() <= cr.worstRelativeError(),
                            () -> pr.explain() + "\nvs\n" + cr.explain());
                }
            }
        }
    }

    private static Integer shiftOf(Encoded compiler) {
        return compiler.program() == null ? null : compiler.multipliers().get(0).shift();
    }

    private static double worst(Encoded e, double[] ideal) {
        double worst = 0;
        for (int k = 0; k < ideal.length; k++) {
            double eff = e.program().effectiveFactor(k);
            worst = Math.max(worst, Math.abs((eff - ideal[k]) / ideal[k]));
        }
        return worst;
    }
}
