package io.github.int8cal.verify;

import io.github.int8cal.nvdla.program.RegisterDecoder;
import io.github.int8cal.nvdla.program.LayerProgram;
import io.github.int8cal.nvdla.program.RegisterEmitter;
import io.github.int8cal.fixedpoint.Rounding;
import io.github.int8cal.model.Attributes;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.Layer;
import io.github.int8cal.model.Op;
import io.github.int8cal.model.Shape;
import io.github.int8cal.nvdla.datapath.Pdp;
import io.github.int8cal.nvdla.datapath.ConvParams;
import io.github.int8cal.nvdla.datapath.ConvSdpLayer;
import io.github.int8cal.nvdla.datapath.ConvolutionEngine;
import io.github.int8cal.nvdla.datapath.Int8Tensor;
import io.github.int8cal.nvdla.datapath.LayerResult;
import io.github.int8cal.nvdla.datapath.SdpConfig;
import io.github.int8cal.nvdla.datapath.SdpOutput;
import io.github.int8cal.nvdla.datapath.SdpStage;
import io.github.int8cal.nvdla.datapath.TensorLayout;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.HardwareOp;
import io.github.int8cal.plan.LayerRequant;
import io.github.int8cal.plan.NetworkPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a graph the way NVDLA runs its {@link NetworkPlan}: convolutions and fully-connected layers
 * through the emulator's CDMA converter, conv core, CACC and SDP with the registers
 * {@link RegisterEmitter} emits for the layer (decoded back by {@link RegisterDecoder}, so what
 * runs is what the user gets); stand-alone element-wise sums and ReLUs on the SDP reading memory;
 * pooling as the PDP does it in int8 (docs/nvdla-arithmetic.md#pdp-pooling); concat / reshape / flatten /
 * dropout as memory views that keep the bytes (readers interpret them at the tensor's run scale,
 * which reproduces nvdla_compiler's silent scale mismatches); softmax on the CPU as
 * nvdla_compiler's emulator does it. Layers the planner could not map are emulated in float32
 * between int8 tensors and marked {@link Int8Step.Engine#CPU_FALLBACK}.
 *
 * <p>Every tensor is held at its run scale ({@link NetworkPlan#runScales()}); the network input is
 * quantized with its run scale as {@code sat8(round_half_away(x / scale))} in double precision.
 */
public final class Int8Executor implements AutoCloseable {

    private final Graph graph;
    private final NetworkPlan plan;
    private final ConvolutionEngine engine;
    private final Fp32Executor fallback;
    private final RegisterEmitter emitter;
    private final RegisterDecoder decoder;
    private final List<Int8Step> steps;
    private final Map<String, LayerProgram> emitted = new HashMap<>();
    private final Map<String, byte[]> weights = new HashMap<>();

    public Int8Executor(Graph graph, NetworkPlan plan, int threads) {
        if (plan.skipped().isPresent()) {
            throw new IllegalArgumentException("the network plan was skipped: " + plan.skipped().get());
        }
        this.graph = graph;
        this.plan = plan;
        this.engine = new ConvolutionEngine(threads);
        this.fallback = new Fp32Executor(graph, threads);
        this.emitter = new RegisterEmitter(plan.options().hardware());
        this.decoder = new RegisterDecoder(plan.options().hardware());
        this.steps = buildSteps();
    }

    public List<Int8Step> steps() {
        return steps;
    }

    public NetworkPlan plan() {
        return plan;
    }

    /** The scale a tensor runs at; fails naming the tensor when the plan has none. */
    public float runScale(String tensor) {
        Float s = plan.runScales().get(tensor);
        if (s == null || !(s > 0) || Float.isInfinite(s)) {
            throw new IllegalArgumentException("tensor '" + tensor + "' has no usable run scale in the plan ("
                    + s + "); calibrate it or add it to the table");
        }
        return s;
    }

    /** Quantizes the float inputs with their run scales and runs every step; results keyed by step name. */
    public Map<String, StepResult> run(Map<String, FloatTensor> inputs) {
        Map<String, QuantTensor> env = new HashMap<>();
        Map<String, StepResult> results = new LinkedHashMap<>();
        Map<String, FloatTensor> floats = new HashMap<>(inputs);
        for (Int8Step step : steps) {
            StepResult r = step.engine() == Int8Step.Engine.INPUT ? quantizeInput(step, floats.get(step.output()))
                    : runStep(step, env);
            env.put(step.output(), r.output());
            results.put(step.name(), r);
        }
        return results;
    }

    /** {@code sat8(round_half_away(x / scale))} of a network input (its value for the INPUT step). */
    public StepResult quantizeInput(Int8Step step, FloatTensor x) {
        if (x == null) {
            throw new IllegalArgumentException("no value for network input '" + step.output() + "'");
        }
        float scale = runScale(step.output());
        byte[] q = new byte[x.size()];
        long clipped = quantize(x.data(), scale, q);
        return new StepResult(new QuantTensor(x.shape(), q, scale), q.length, clipped, -1, -1);
    }

    /** Round half away from zero and saturate; returns how many values saturated. */
    static long quantize(float[] x, float scale, byte[] out) {
        long clipped = 0;
        double s = scale;
        for (int i = 0; i < x.length; i++) {
            long r = Rounding.roundHalfAwayFromZero(x[i] / s);
            long q = Rounding.saturate(r, 8);
            clipped += q != r ? 1 : 0;
            out[i] = (byte) q;
        }
        return clipped;
    }

    /** Runs one step on int8 tensors in {@code env} (which must hold its inputs at their run scales). */
    public StepResult runStep(Int8Step step, Map<String, QuantTensor> env) {
        List<QuantTensor> in = new ArrayList<>();
        for (String t : step.inputs()) {
            QuantTensor q = env.get(t);
            if (q == null) {
                throw new IllegalArgumentException("step '" + step.name() + "' reads '" + t + "', which has no value");
            }
            in.add(q);
        }
        Shape outShape = graph.tensor(step.output()).shape();
        return switch (step.engine()) {
            case CONV_SDP -> convSdp(step, in, outShape);
            case SDP -> standaloneSdp(step, in, outShape);
            case PDP -> pdp(step, in.get(0), outShape);
            case CPU -> softmax(step, in.get(0), outShape);
            case VIEW -> view(step, in, outShape);
            case CPU_FALLBACK -> cpuFallback(step, in, outShape);
            case INPUT -> throw new IllegalArgumentException("input steps take float values: use quantizeInput");
        };
    }

    // ---- steps ----------------------------------------------------------------------------------

    private List<Int8Step> buildSteps() {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < graph.layers().size(); i++) {
            index.put(graph.layers().get(i).name(), i);
        }
        Map<Integer, HardwareLayerPlan> planAtLast = new HashMap<>();
        Set<String> covered = new HashSet<>();
        for (HardwareLayerPlan p : plan.layers()) {
            int last = -1;
            for (String l : p.graphLayers()) {
                Integer i = index.get(l);
                if (i == null) {
                    throw new IllegalArgumentException("plan layer '" + p.name() + "' covers '" + l
                            + "', which is not in the graph");
                }
                last = Math.max(last, i);
                covered.add(l);
            }
            planAtLast.put(last, p);
        }
        List<Int8Step> out = new ArrayList<>();
        for (String in : graph.inputs()) {
            out.add(new Int8Step(in, Int8Step.Engine.INPUT, List.of(), List.of(), in, null, ""));
        }
        for (int i = 0; i < graph.layers().size(); i++) {
            Layer l = graph.layers().get(i);
            HardwareLayerPlan p = planAtLast.get(i);
            if (p != null) {
                out.add(planned(p));
            } else if (!covered.contains(l.name())) {
                if (l.op() == Op.CONCAT || l.op().preservesValues()) {
                    out.add(new Int8Step(l.name(), Int8Step.Engine.VIEW, List.of(l), l.inputs(), l.output(), null,
                            l.op() == Op.CONCAT ? "concatenation in memory" : "same bytes, new shape"));
                } else {
                    out.add(new Int8Step(l.name(), Int8Step.Engine.CPU_FALLBACK, List.of(l), l.inputs(), l.output(),
                            null, "not planned for NVDLA (see the plan's NOT_PLANNED diagnostics); emulated in"
                                    + " float32 between int8 tensors"));
                }
            }
        }
        return List.copyOf(out);
    }

    private Int8Step planned(HardwareLayerPlan p) {
        List<Layer> layers = p.graphLayers().stream().map(n -> graph.layer(n).orElseThrow()).toList();
        Set<String> written = new HashSet<>();
        layers.forEach(l -> written.addAll(l.outputs()));
        List<String> external = new ArrayList<>();
        for (Layer l : layers) {
            for (String in : l.inputs()) {
                if (!written.contains(in) && !external.contains(in)) {
                    external.add(in);
                }
            }
        }
        boolean programmed = p.program() != null;
        Int8Step.Engine engine = switch (p.op()) {
            case CONV_SDP -> programmed ? Int8Step.Engine.CONV_SDP : Int8Step.Engine.CPU_FALLBACK;
            case SDP -> programmed ? Int8Step.Engine.SDP : Int8Step.Engine.CPU_FALLBACK;
            case PDP -> Int8Step.Engine.PDP;
            case CPU -> Int8Step.Engine.CPU;
        };
        List<String> inputs = programmed && (p.op() == HardwareOp.CONV_SDP || p.op() == HardwareOp.SDP)
                ? p.inputTensors() : external;
        String note = engine == Int8Step.Engine.CPU_FALLBACK
                ? "the plan rejected this layer (see its diagnostics); emulated in float32 between int8 tensors" : "";
        return new Int8Step(p.name(), engine, layers, inputs, p.outputTensor(), p, note);
    }

    // ---- conv + SDP -----------------------------------------------------------------------------

    private StepResult convSdp(Int8Step step, List<QuantTensor> in, Shape outShape) {
        HardwareLayerPlan p = step.plan();
        LayerRequant r = p.requant();
        Layer conv = step.graphLayers().get(0);
        QuantTensor x = in.get(0);
        QuantTensor other = p.eltwise() != null ? in.get(1) : null;
        int kernels = r.weights().length;
        int padded = r.paddedInputChannels();
        byte[] w = weights.computeIfAbsent(p.name(), n -> flatten(r.weights()));
        LayerProgram regs = emitted.computeIfAbsent(p.name(), n -> emitter.emit(p));

        boolean fc = conv.op() == Op.INNER_PRODUCT;
        int batch = (int) x.shape().dim(0);
        int channels;
        int height;
        int width;
        int rows = 1;
        ConvParams geometry;
        if (fc) {
            // rows of K inputs (K = weights per kernel / padding); each row is one 1x1 "pixel"
            int k = (int) graph.tensor(conv.weights().get("weight")).shape().dim(1);
            rows = x.data().length / k / batch;
            channels = k;
            height = 1;
            width = rows;
            geometry = new ConvParams(width, 1, padded, 1, 1, kernels, 1, 1, 1, 1, 0, 0, width, 1, 0);
        } else {
            Attributes a = conv.attributes();
            channels = (int) x.shape().dim(1);
            height = (int) x.shape().dim(2);
            width = (int) x.shape().dim(3);
            geometry = new ConvParams(width, height, padded, a.getLongs("kernel").get(1).intValue(),
                    a.getLongs("kernel").get(0).intValue(), kernels, a.getLongs("stride").get(1).intValue(),
                    a.getLongs("stride").get(0).intValue(), a.getLongs("dilation").get(1).intValue(),
                    a.getLongs("dilation").get(0).intValue(), a.getLongs("pads").get(1).intValue(),
                    a.getLongs("pads").get(0).intValue(), (int) outShape.dim(3), (int) outShape.dim(2), 0);
        }
        int inItem = channels * height * width;
        int outItem = kernels * geometry.outPixels();
        byte[] out = new byte[batch * outItem];
        long clipped = 0;
        long cacc = 0;
        long sat17 = 0;
        for (int n = 0; n < batch; n++) {
            byte[] feature = new byte[padded * height * width];
            if (fc) {
                // [row][k] in memory -> planar [k][row]
                for (int row = 0; row < rows; row++) {
                    for (int c = 0; c < channels; c++) {
                        feature[c * rows + row] = x.data()[n * inItem + row * channels + c];
                    }
                }
            } else {
                System.arraycopy(x.data(), n * inItem, feature, 0, inItem);
            }
            int[] perPoint = other == null ? null : perPoint(other.data(), n * outItem, outItem, fc, kernels, rows);
            io.github.int8cal.nvdla.datapath.ConvLayerConfig layer = decoder.convLayer(regs, geometry, perPoint);
            LayerResult res = ConvSdpLayer.run(engine, new Int8Tensor(padded, height, width, TensorLayout.NCHW,
                    feature), w, layer);
            byte[] planar = res.output().data();
            if (fc) {
                for (int row = 0; row < rows; row++) {
                    for (int k = 0; k < kernels; k++) {
                        out[n * outItem + row * kernels + k] = planar[k * rows + row];
                    }
                }
            } else {
                System.arraycopy(planar, 0, out, n * outItem, outItem);
            }
            clipped += res.int8Clipped();
            cacc += res.caccSaturated();
            sat17 += res.cvt17Saturated();
        }
        QuantTensor q = new QuantTensor(outShape, out, runScale(step.output()));
        return new StepResult(q, out.length, clipped, cacc, sat17);
    }

    /** The other element-wise input as the RDMA delivers it: planar {@code [k][pixel]}, sign-extended. */
    private static int[] perPoint(byte[] data, int offset, int length, boolean fc, int kernels, int rows) {
        int[] v = new int[length];
        if (fc) {
            for (int row = 0; row < rows; row++) {
                for (int k = 0; k < kernels; k++) {
                    v[k * rows + row] = data[offset + row * kernels + k];
                }
            }
        } else {
            for (int i = 0; i < length; i++) {
                v[i] = data[offset + i];
            }
        }
        return v;
    }

    private static byte[] flatten(byte[][] perKernel) {
        int len = perKernel.length == 0 ? 0 : perKernel[0].length;
        byte[] w = new byte[perKernel.length * len];
        for (int k = 0; k < perKernel.length; k++) {
            System.arraycopy(perKernel[k], 0, w, k * len, len);
        }
        return w;
    }

    // ---- stand-alone SDP ------------------------------------------------------------------------

    private StepResult standaloneSdp(Int8Step step, List<QuantTensor> in, Shape outShape) {
        HardwareLayerPlan p = step.plan();
        QuantTensor x = in.get(0);
        QuantTensor other = in.size() > 1 ? in.get(1) : null;
        LayerProgram regs = emitted.computeIfAbsent(p.name(), n -> emitter.emit(p));
        int batch = (int) x.shape().dim(0);
        int item = x.data().length / batch;
        int lanes = x.shape().rank() > 1 ? (int) x.shape().dim(1) : 1;
        int pixels = item / lanes;
        byte[] out = new byte[x.data().length];
        long clipped = 0;
        long sat17 = 0;
        for (int n = 0; n < batch; n++) {
            int[] input = new int[item];
            for (int i = 0; i < item; i++) {
                input[i] = x.data()[n * item + i];
            }
            int[] operand = other == null ? null : perPoint(other.data(), n * item, item, false, lanes, 1);
            SdpConfig cfg = decoder.sdp(regs, lanes, pixels, operand);
            SdpOutput res = SdpStage.run(input, lanes, lanes, pixels, cfg);
            System.arraycopy(res.values(), 0, out, n * item, item);
            clipped += res.int8Clipped();
            sat17 += res.cvt17Saturated();
        }
        return new StepResult(new QuantTensor(outShape, out, runScale(step.output())), out.length, clipped, -1, sat17);
    }

    // ---- PDP --------------------------------------------------------------------------------------

    private StepResult pdp(Int8Step step, QuantTensor x, Shape outShape) {
        Layer l = step.graphLayers().get(0);
        Shape in = x.shape();
        byte[] out = Pdp.pool(x.data(), (int) (in.dim(0) * in.dim(1)), (int) in.dim(2), (int) in.dim(3),
                PoolingWindows.of(l.attributes(), in), (int) outShape.dim(2), (int) outShape.dim(3));
        return new StepResult(new QuantTensor(outShape, out, runScale(step.output())), out.length, 0, -1, -1);
    }

    // ---- CPU --------------------------------------------------------------------------------------

    /**
     * nvdla_compiler's CPU softmax: dequantize with the input scale, softmax, then
     * {@code sat8(truncate_toward_zero(y / So))} (docs/nvdla-compiler.md#cpu-softmax, Emulator.cpp). The
     * emulator computes in fp16; this runs in float32.
     */
    private StepResult softmax(Int8Step step, QuantTensor x, Shape outShape) {
        Layer l = step.graphLayers().get(0);
        FloatTensor y = Fp32Executor.softmax(x.dequantize(), (int) l.attributes().getLong("axis", 1));
        float so = runScale(step.output());
        byte[] out = new byte[y.size()];
        long clipped = 0;
        for (int i = 0; i < out.length; i++) {
            long t = (long) (y.data()[i] / so); // truncation toward zero
            long q = Rounding.saturate(t, 8);
            clipped += q != t ? 1 : 0;
            out[i] = (byte) q;
        }
        return new StepResult(new QuantTensor(outShape, out, so), out.length, clipped, -1, -1);
    }

    private StepResult view(Int8Step step, List<QuantTensor> in, Shape outShape) {
        Layer l = step.graphLayers().get(0);
        byte[] out;
        if (l.op() == Op.CONCAT) {
            int rank = outShape.rank();
            int axis = (int) l.attributes().getLong("axis", 1);
            axis = axis < 0 ? axis + rank : axis;
            long outer = 1;
            for (int i = 0; i < axis; i++) {
                outer *= outShape.dim(i);
            }
            out = new byte[Math.toIntExact(outShape.elementCount())];
            int outRow = (int) (out.length / outer);
            int offset = 0;
            for (QuantTensor t : in) {
                int row = (int) (t.data().length / outer);
                for (int o = 0; o < outer; o++) {
                    System.arraycopy(t.data(), o * row, out, o * outRow + offset, row);
                }
                offset += row;
            }
        } else {
            out = in.get(0).data();
        }
        return new StepResult(new QuantTensor(outShape, out, runScale(step.output())), out.length, 0, -1, -1);
    }

    private StepResult cpuFallback(Int8Step step, List<QuantTensor> in, Shape outShape) {
        Map<String, FloatTensor> env = new HashMap<>();
        for (int i = 0; i < in.size(); i++) {
            env.put(step.inputs().get(i), in.get(i).dequantize());
        }
        fallback.runLayers(step.graphLayers(), env);
        FloatTensor y = env.get(step.output());
        float scale = runScale(step.output());
        byte[] out = new byte[y.size()];
        long clipped = quantize(y.data(), scale, out);
        return new StepResult(new QuantTensor(outShape, out, scale), out.length, clipped, -1, -1);
    }

    @Override
    public void close() {
        engine.close();
        fallback.close();
    }
}
