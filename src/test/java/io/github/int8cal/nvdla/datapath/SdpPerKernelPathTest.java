package io.github.int8cal.nvdla.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-kernel fast path against the general element-by-element SDP path, bit for bit, on
 * randomized configurations: small and extreme operands, shifts on both sides of the int/long
 * switch, every ALU algorithm, ReLU on and off, identity and general output converters. The
 * general path is the independent reference (checked by hand in DatapathStagesTest and against
 * the hardware traces).
 */
class SdpPerKernelPathTest {

    @Test
    void fastPathEqualsGeneralPathOnRandomizedConfigurations() {
        Random rnd = new Random(20261128);
        int intLanes = 0;
        for (int trial = 0; trial < 400; trial++) {
            int lanes = 1 + rnd.nextInt(40);
            int channels = 1 + rnd.nextInt(lanes);
            int pixels = 1 + rnd.nextInt(70);
            int[] input = new int[lanes * pixels];
            int magnitude = switch (rnd.nextInt(4)) {
                case 0 -> 1 << 7;
                case 1 -> 1 << 16;
                case 2 -> 1 << 24;
                default -> Integer.MAX_VALUE;
            };
            for (int i = 0; i < input.length; i++) {
                input[i] = magnitude == Integer.MAX_VALUE ? rnd.nextInt() : rnd.nextInt(2 * magnitude) - magnitude;
            }
            SdpConfig cfg = new SdpConfig(randomX1(rnd, lanes), XUnit.BYPASSED, YUnit.BYPASSED, randomCvt(rnd),
                    rnd.nextBoolean());
            assertNotNull(SdpPerKernelPath.of(cfg));
            SdpOutput general = SdpStage.runGeneral(input, lanes, channels, pixels, cfg, null);
            try (ConvolutionEngine engine = new ConvolutionEngine(1 + trial % 2)) {
                SdpOutput fast = SdpStage.run(input, lanes, channels, pixels, cfg, engine);
                String what = "trial " + trial + ": " + cfg;
                assertArrayEquals(general.values(), fast.values(), what);
                assertEquals(general.cvt17Saturated(), fast.cvt17Saturated(), what);
                assertEquals(general.int8Clipped(), fast.int8Clipped(), what);
                assertEquals(general.unequal(), fast.unequal(), what);
            }
            intLanes += magnitude <= 1 << 16 ? 1 : 0;
        }
        assertEquals(true, intLanes > 100, "enough trials small enough for the int path");
    }

    @Test
    void otherConfigurationsKeepTheGeneralPath() {
        XUnit perElement = XUnit.multiply(new SdpOperand.PerElement(new int[4], 4), 3, true);
        assertNull(SdpPerKernelPath.of(SdpConfig.of(perElement, OutputConverter.IDENTITY)));
        XUnit prelu = new XUnit(false, true, AluAlgo.SUM, false, true, true, 0, 3, SdpOperand.register(0),
                SdpOperand.register(5));
        assertNull(SdpPerKernelPath.of(SdpConfig.of(prelu, OutputConverter.IDENTITY)));
        XUnit x2 = XUnit.multiply(SdpOperand.register(3), 1, false);
        assertNull(SdpPerKernelPath.of(new SdpConfig(XUnit.BYPASSED, x2, YUnit.BYPASSED, OutputConverter.IDENTITY,
                true)));
    }

    private static XUnit randomX1(Random rnd, int lanes) {
        if (rnd.nextInt(10) == 0) {
            return XUnit.BYPASSED;
        }
        AluAlgo algo = AluAlgo.values()[rnd.nextInt(4)];
        int aluShift = rnd.nextInt(8) == 0 ? rnd.nextInt(64) : rnd.nextInt(4);
        int mulShift = switch (rnd.nextInt(5)) {
            case 0 -> rnd.nextInt(64);
            case 1 -> 0;
            default -> rnd.nextInt(31);
        };
        return new XUnit(false, rnd.nextInt(3) == 0, algo, rnd.nextInt(5) == 0, false, rnd.nextBoolean(), aluShift,
                mulShift, randomOperand(rnd, lanes, 1 << 12), randomOperand(rnd, lanes, 1 << 15));
    }

    private static SdpOperand randomOperand(Random rnd, int lanes, int magnitude) {
        if (rnd.nextInt(4) == 0) {
            return SdpOperand.register(rnd.nextInt(8) == 0 ? rnd.nextInt() : rnd.nextInt(2 * magnitude) - magnitude);
        }
        int[] v = new int[lanes];
        int m = rnd.nextInt(6) == 0 ? Integer.MAX_VALUE : magnitude;
        for (int i = 0; i < lanes; i++) {
            v[i] = m == Integer.MAX_VALUE ? rnd.nextInt() : rnd.nextInt(2 * m) - m;
        }
        return new SdpOperand.PerKernel(v);
    }

    private static OutputConverter randomCvt(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> OutputConverter.IDENTITY;
            case 1 -> new OutputConverter(rnd.nextInt(2001) - 1000, rnd.nextInt(65536) - 32768, rnd.nextInt(31));
            default -> new OutputConverter(rnd.nextInt(), rnd.nextInt(65536) - 32768, rnd.nextInt(64));
        };
    }
}
