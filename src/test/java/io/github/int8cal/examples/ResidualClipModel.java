package io.github.int8cal.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A residual block (ours, made here, {@link ResidualNets}) whose skip nvdla_compiler runs at a much
 * smaller scale than it was calibrated for:
 * <pre>
 *   data [1,4,8,8] -stem (1x1, gain 2) + ReLU-> stem -b1a (gain 1) + ReLU-> b1a -b1b (gain 0.25)-> b1b
 *   sum1 = b1b + stem, + ReLU
 * </pre>
 * The statistics are the exact worst-case ranges (interval arithmetic from {@code data} in [-1, 1]),
 * so nothing clips at its calibrated scale. The branch b1b is small, and stem's tensor is created
 * before it, so compiler mode gives stem b1b's scale (amax 0.3975 instead of 2.04): with
 * {@code unifyScales=false} a large part of stem's outputs clip and the default gate (1%) fails on
 * layer {@code stem}, while precise mode keeps stem's scale and passes. Committed as
 * {@code src/it/residual-overwrite-*}; {@code ResidualClipModelTest} checks the files and the two
 * outcomes, and rewrites the files with {@code -Dnvdla-int8.regenerate=true}.
 */
public final class ResidualClipModel {

    public static final int CHANNELS = 4;
    public static final int SIZE = 8;
    /** Gains of the three convs. */
    static final float STEM_GAIN = 2f;
    static final float B1A_GAIN = 1f;
    static final float B1B_GAIN = 0.25f;

    private ResidualClipModel() {
    }

    public static ResidualNets net() {
        return new ResidualNets("residual_clip", CHANNELS, SIZE).conv("stem", "data", true, 1, STEM_GAIN)
                .conv("b1a", "stem", true, 2, B1A_GAIN).conv("b1b", "b1a", false, 3, B1B_GAIN)
                .sum("sum1", "b1b", "stem", true);
    }

    /** Output interval of a 1x1 conv whose every input channel lies in {@code [lo, hi]}. */
    static double[] conv(int seed, float gain, double lo, double hi) {
        float[][] w = ResidualNets.weights(CHANNELS, seed, gain);
        float[] b = ResidualNets.bias(CHANNELS, seed, gain);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int k = 0; k < CHANNELS; k++) {
            double l = b[k];
            double h = b[k];
            for (int c = 0; c < CHANNELS; c++) {
                l += Math.min(w[k][c] * lo, w[k][c] * hi);
                h += Math.max(w[k][c] * lo, w[k][c] * hi);
            }
            min = Math.min(min, l);
            max = Math.max(max, h);
        }
        return new double[] {min, max};
    }

    /** Statistics by Caffe layer name (nvdla_compiler table keys): {min, max}. */
    public static Map<String, double[]> ranges() {
        Map<String, double[]> r = new LinkedHashMap<>();
        r.put("data", new double[] {-1, 1});
        double[] stem = conv(1, STEM_GAIN, -1, 1);
        r.put("stem", stem);
        double[] stemRelu = {0, Math.max(0, stem[1])};
        r.put("stem_relu", stemRelu);
        double[] b1a = conv(2, B1A_GAIN, stemRelu[0], stemRelu[1]);
        r.put("b1a", b1a);
        double[] b1aRelu = {0, Math.max(0, b1a[1])};
        r.put("b1a_relu", b1aRelu);
        double[] b1b = conv(3, B1B_GAIN, b1aRelu[0], b1aRelu[1]);
        r.put("b1b", b1b);
        double[] sum = {b1b[0] + stemRelu[0], b1b[1] + stemRelu[1]};
        r.put("sum1", sum);
        r.put("sum1_relu", new double[] {0, Math.max(0, sum[1])});
        return r;
    }

    /** Our statistics JSON, keyed by Caffe layer names, values rounded to 6 decimals (outward). */
    public static String statistics() {
        StringBuilder sb = new StringBuilder("{\"format\": \"nvdla-int8-statistics\", \"version\": 1,\n \"tensors\": [\n");
        List<Map.Entry<String, double[]>> rows = List.copyOf(ranges().entrySet());
        for (int i = 0; i < rows.size(); i++) {
            double[] v = rows.get(i).getValue();
            sb.append(String.format(Locale.ROOT, "  {\"name\": \"%s\", \"min\": %.6f, \"max\": %.6f}%s%n",
                    rows.get(i).getKey(), Math.floor(v[0] * 1e6) / 1e6, Math.ceil(v[1] * 1e6) / 1e6,
                    i + 1 < rows.size() ? "," : ""));
        }
        return sb.append(" ]}\n").toString().replace("\r\n", "\n");
    }

    /** Writes {@code model.prototxt}, {@code model.caffemodel} and {@code stats.json} into {@code dir}. */
    public static void write(Path dir) throws IOException {
        net().writeCaffe(dir, "model");
        Files.writeString(dir.resolve("stats.json"), statistics());
    }
}
