package io.github.int8cal.verify;

import io.github.int8cal.model.Attributes;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.Layer;
import io.github.int8cal.nvdla.datapath.PoolingWindow;
import io.github.int8cal.model.Shape;
import io.github.int8cal.model.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The float32 reference: runs every op the model readers produce (see {@link io.github.int8cal.model.Op})
 * on NCHW float32 tensors, the way Caffe and ONNX define them. Convolution is im2col + a blocked
 * GEMM ({@link Fp32Kernels}) on a fixed pool of threads owned by the executor.
 *
 * <p>Semantics worth knowing: average pooling with {@code count_include_pad} divides by the window
 * clipped to the padded input (Caffe's rule, which is also ONNX's for windows inside the padding);
 * without it by the number of real input elements. Max pooling ignores padding. Softmax is over
 * one axis (ONNX opset 13 and Caffe; for opset &lt; 13 this equals the old 2-D coercion only when
 * the axis is the last one, the usual classifier case).
 */
public final class Fp32Executor implements AutoCloseable {

    private final Graph graph;
    private final Fp32Kernels kernels;
    private final Map<String, float[]> constants = new HashMap<>();

    /** @param threads worker threads for convolution and fully-connected layers (1 = caller's thread) */
    public Fp32Executor(Graph graph, int threads) {
        if (!graph.hasWeights()) {
            throw new IllegalArgumentException(graph.source() + " was read without weights: nothing to execute");
        }
        this.graph = graph;
        this.kernels = new Fp32Kernels(threads);
    }

    public Graph graph() {
        return graph;
    }

    /**
     * Runs the whole graph on {@code inputs} (one tensor per network input, in the input's shape).
     * Returns the network inputs and every activation {@code keep} accepts; other intermediate
     * tensors are dropped as soon as their last reader has run.
     */
    public Map<String, FloatTensor> run(Map<String, FloatTensor> inputs, Predicate<String> keep) {
        Map<String, FloatTensor> env = new HashMap<>();
        for (String in : graph.inputs()) {
            FloatTensor t = inputs.get(in);
            Shape expected = graph.tensor(in).shape();
            if (t == null) {
                throw new IllegalArgumentException("no value for network input '" + in + "'");
            }
            if (!t.shape().equals(expected)) {
                throw new IllegalArgumentException("network input '" + in + "' has shape " + expected + ", got "
                        + t.shape());
            }
            env.put(in, t);
        }
        Map<String, Integer> readersLeft = new HashMap<>();
        for (Layer l : graph.layers()) {
            for (String in : l.inputs()) {
                readersLeft.merge(in, 1, Integer::sum);
            }
        }
        Map<String, FloatTensor> kept = new LinkedHashMap<>();
        for (String in : graph.inputs()) {
            kept.put(in, env.get(in));
        }
        for (Layer l : graph.layers()) {
            List<FloatTensor> ins = new ArrayList<>();
            for (String in : l.inputs()) {
                ins.add(env.get(in));
            }
            FloatTensor out = runLayer(l, ins);
            for (String o : l.outputs()) {
                env.put(o, out);
                if (keep.test(o)) {
                    kept.put(o, out);
                }
            }
            for (String in : l.inputs()) {
                if (readersLeft.merge(in, -1, Integer::sum) == 0 && !graph.inputs().contains(in)) {
                    env.remove(in);
                }
            }
        }
        return kept;
    }

    /** Runs the whole graph and keeps every activation. */
    public Map<String, FloatTensor> runAll(Map<String, FloatTensor> inputs) {
        return run(inputs, t -> true);
    }

    /** Runs the layers of {@code layers} in order, reading and writing {@code env}. */
    public void runLayers(List<Layer> layers, Map<String, FloatTensor> env) {
        for (Layer l : layers) {
            List<FloatTensor> ins = new ArrayList<>();
            for (String in : l.inputs()) {
                FloatTensor t = env.get(in);
                if (t == null) {
                    throw new IllegalArgumentException("layer '" + l.name() + "' reads '" + in + "', which has no value");
                }
                ins.add(t);
            }
            FloatTensor out = runLayer(l, ins);
            l.outputs().forEach(o -> env.put(o, out));
        }
    }

    /** One layer on its activation inputs (in {@link Layer#inputs()} order); returns its output. */
    public FloatTensor runLayer(Layer l, List<FloatTensor> in) {
        Shape outShape = graph.tensor(l.output()).shape();
        FloatTensor x = in.get(0);
        Attributes a = l.attributes();
        return switch (l.op()) {
            case CONVOLUTION -> convolution(l, x, outShape);
            case INNER_PRODUCT -> innerProduct(l, x, outShape);
            case BATCH_NORM -> batchNorm(l, x);
            case SCALE -> perChannel(x, constant(l, "scale"), optionalConstant(l, "bias"));
            case BIAS -> perChannel(x, null, constant(l, "bias"));
            case RELU -> relu(x, (float) a.getDouble("negative_slope", 0));
            case PRELU -> prelu(x, constant(l, "slope"));
            case CLIP -> clip(x, (float) a.getDouble("min", -Float.MAX_VALUE), (float) a.getDouble("max", Float.MAX_VALUE));
            case POOLING -> pooling(x, a, outShape);
            case ELTWISE -> eltwise(in, a);
            case CONCAT -> concat(in, a, outShape);
            case FLATTEN, RESHAPE, DROPOUT -> x.reshape(outShape);
            case SOFTMAX -> softmax(x, (int) a.getLong("axis", 1));
        };
    }

    // ---- constants ------------------------------------------------------------------------------

    private float[] constant(Layer l, String role) {
        String name = l.weights().get(role);
        if (name == null) {
            throw new IllegalArgumentException("layer '" + l.name() + "' has no " + role);
        }
        return constants.computeIfAbsent(name, n -> {
            Tensor t = graph.tensor(n);
            if (t.weights() == null) {
                throw new IllegalArgumentException("constant '" + n + "' of layer '" + l.name() + "' has no values");
            }
            return t.weights().toArray();
        });
    }

    private float[] optionalConstant(Layer l, String role) {
        return l.weights().containsKey(role) ? constant(l, role) : null;
    }

    // ---- ops ------------------------------------------------------------------------------------

    private FloatTensor convolution(Layer l, FloatTensor x, Shape outShape) {
        Attributes a = l.attributes();
        List<Long> k = a.getLongs("kernel");
        List<Long> s = a.getLongs("stride");
        List<Long> p = a.getLongs("pads");
        List<Long> d = a.getLongs("dilation");
        Fp32Kernels.ConvGeometry g = new Fp32Kernels.ConvGeometry((int) x.shape().dim(0), (int) x.shape().dim(1),
                (int) x.shape().dim(2), (int) x.shape().dim(3), (int) outShape.dim(1), (int) outShape.dim(2),
                (int) outShape.dim(3), k.get(0).intValue(), k.get(1).intValue(), s.get(0).intValue(),
                s.get(1).intValue(), p.get(0).intValue(), p.get(1).intValue(), d.get(0).intValue(),
                d.get(1).intValue(), (int) a.getLong("group", 1));
        float[] out = kernels.convolution(x.data(), constant(l, "weight"), optionalConstant(l, "bias"), g);
        return new FloatTensor(outShape, out);
    }

    private FloatTensor innerProduct(Layer l, FloatTensor x, Shape outShape) {
        float[] w = constant(l, "weight");
        int n = (int) outShape.dim(outShape.rank() - 1);
        int k = w.length / n;
        int rows = x.size() / k;
        if ((long) rows * k != x.size()) {
            throw new IllegalArgumentException("layer '" + l.name() + "': input " + x.shape() + " is not a multiple of "
                    + k + " inputs");
        }
        float[] out = kernels.fullyConnected(x.data(), rows, k, w, n, optionalConstant(l, "bias"));
        return new FloatTensor(outShape, out);
    }

    private FloatTensor batchNorm(Layer l, FloatTensor x) {
        float[] mean = constant(l, "mean");
        float[] var = constant(l, "variance");
        float[] gamma = optionalConstant(l, "scale");
        float[] beta = optionalConstant(l, "bias");
        float eps = (float) l.attributes().getDouble("epsilon", 1e-5);
        int c = mean.length;
        float[] mul = new float[c];
        float[] add = new float[c];
        for (int i = 0; i < c; i++) {
            float inv = (float) (1.0 / Math.sqrt(var[i] + eps));
            float gi = gamma == null ? 1f : gamma[i];
            mul[i] = inv * gi;
            add[i] = (beta == null ? 0f : beta[i]) - mean[i] * mul[i];
        }
        return perChannel(x, mul, add);
    }

    /** {@code x * mul[c] + add[c]} over axis 1 ({@code [1]}-sized arrays broadcast; null = identity). */
    private static FloatTensor perChannel(FloatTensor x, float[] mul, float[] add) {
        Shape s = x.shape();
        int n = (int) s.dim(0);
        int c = s.rank() > 1 ? (int) s.dim(1) : 1;
        int inner = x.size() / Math.max(1, n * c);
        float[] out = new float[x.size()];
        float[] in = x.data();
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                float m = mul == null ? 1f : mul[mul.length == 1 ? 0 : ch];
                float ad = add == null ? 0f : add[add.length == 1 ? 0 : ch];
                int base = (b * c + ch) * inner;
                for (int i = base; i < base + inner; i++) {
                    out[i] = in[i] * m + ad;
                }
            }
        }
        return new FloatTensor(s, out);
    }

    private static FloatTensor relu(FloatTensor x, float slope) {
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            float v = in[i];
            out[i] = v > 0 ? v : v * slope;
        }
        return new FloatTensor(x.shape(), out);
    }

    private static FloatTensor prelu(FloatTensor x, float[] slope) {
        Shape s = x.shape();
        int n = (int) s.dim(0);
        int c = s.rank() > 1 ? (int) s.dim(1) : 1;
        int inner = x.size() / Math.max(1, n * c);
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                float a = slope[slope.length == 1 ? 0 : ch];
                int base = (b * c + ch) * inner;
                for (int i = base; i < base + inner; i++) {
                    out[i] = in[i] > 0 ? in[i] : in[i] * a;
                }
            }
        }
        return new FloatTensor(s, out);
    }

    private static FloatTensor clip(FloatTensor x, float min, float max) {
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = Math.min(max, Math.max(min, in[i]));
        }
        return new FloatTensor(x.shape(), out);
    }

    static FloatTensor pooling(FloatTensor x, Attributes a, Shape outShape) {
        Shape s = x.shape();
        int n = (int) s.dim(0);
        int c = (int) s.dim(1);
        int h = (int) s.dim(2);
        int w = (int) s.dim(3);
        int oh = (int) outShape.dim(2);
        int ow = (int) outShape.dim(3);
        PoolingWindow win = PoolingWindows.of(a, s);
        boolean max = win.max();
        int kh = win.kernelH();
        int kw = win.kernelW();
        int sh = win.strideH();
        int sw = win.strideW();
        int pt = win.padTop();
        int pl = win.padLeft();
        int pb = win.padBottom();
        int pr = win.padRight();
        boolean includePad = win.countIncludePad();
        float[] in = x.data();
        float[] out = new float[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++) {
            int ib = plane * h * w;
            int ob = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * sh - pt;
                int y1 = Math.min(y0 + kh, h + pb);
                int ys = Math.max(y0, 0);
                int ye = Math.min(y1, h);
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = ox * sw - pl;
                    int x1 = Math.min(x0 + kw, w + pr);
                    int xs = Math.max(x0, 0);
                    int xe = Math.min(x1, w);
                    float v;
                    if (max) {
                        v = Float.NEGATIVE_INFINITY;
                        for (int y = ys; y < ye; y++) {
                            for (int xx = xs; xx < xe; xx++) {
                                v = Math.max(v, in[ib + y * w + xx]);
                            }
                        }
                    } else {
                        float sum = 0f;
                        for (int y = ys; y < ye; y++) {
                            for (int xx = xs; xx < xe; xx++) {
                                sum += in[ib + y * w + xx];
                            }
                        }
                        int count = includePad ? (y1 - y0) * (x1 - x0) : (ye - ys) * (xe - xs);
                        v = count > 0 ? sum / count : 0f;
                    }
                    out[ob + oy * ow + ox] = v;
                }
            }
        }
        return new FloatTensor(outShape, out);
    }

    private static FloatTensor eltwise(List<FloatTensor> in, Attributes a) {
        String op = a.getString("operation", "SUM");
        List<Double> coeff = a.getDoubles("coefficients");
        int size = in.get(0).size();
        float[] out = new float[size];
        for (int t = 0; t < in.size(); t++) {
            float[] v = in.get(t).data();
            float c = coeff.isEmpty() ? 1f : coeff.get(t).floatValue();
            for (int i = 0; i < size; i++) {
                if (t == 0) {
                    out[i] = op.equals("SUM") ? v[i] * c : v[i];
                } else {
                    out[i] = switch (op) {
                        case "SUM" -> out[i] + v[i] * c;
                        case "PROD" -> out[i] * v[i];
                        default -> Math.max(out[i], v[i]);
                    };
                }
            }
        }
        return new FloatTensor(in.get(0).shape(), out);
    }

    private static FloatTensor concat(List<FloatTensor> in, Attributes a, Shape outShape) {
        int rank = outShape.rank();
        int axis = (int) a.getLong("axis", 1);
        axis = axis < 0 ? axis + rank : axis;
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= outShape.dim(i);
        }
        float[] out = new float[Math.toIntExact(outShape.elementCount())];
        int outRow = (int) (out.length / outer);
        int offset = 0;
        for (FloatTensor t : in) {
            int row = (int) (t.size() / outer);
            for (int o = 0; o < outer; o++) {
                System.arraycopy(t.data(), o * row, out, o * outRow + offset, row);
            }
            offset += row;
        }
        return new FloatTensor(outShape, out);
    }

    static FloatTensor softmax(FloatTensor x, int rawAxis) {
        Shape s = x.shape();
        int axis = rawAxis < 0 ? rawAxis + s.rank() : rawAxis;
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= (int) s.dim(i);
        }
        int len = (int) s.dim(axis);
        int inner = x.size() / (outer * len);
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    max = Math.max(max, in[base + j * inner]);
                }
                float sum = 0f;
                for (int j = 0; j < len; j++) {
                    float e = (float) Math.exp(in[base + j * inner] - max);
                    out[base + j * inner] = e;
                    sum += e;
                }
                for (int j = 0; j < len; j++) {
                    out[base + j * inner] /= sum;
                }
            }
        }
        return new FloatTensor(s, out);
    }

    @Override
    public void close() {
        kernels.close();
    }

    /** The activations a graph writes (for callers choosing what to keep). */
    public Set<String> activationNames() {
        Set<String> names = new java.util.LinkedHashSet<>();
        graph.layers().forEach(l -> names.addAll(l.outputs()));
        return names;
    }
}
