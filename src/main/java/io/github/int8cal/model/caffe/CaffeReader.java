package io.github.int8cal.model.caffe;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import io.github.int8cal.model.Attributes;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.GraphBuilder;
import io.github.int8cal.model.ModelFiles;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.model.Op;
import io.github.int8cal.model.Shape;
import io.github.int8cal.model.Weights;
import io.github.int8cal.model.caffe.proto.CaffeProto.BlobProto;
import io.github.int8cal.model.caffe.proto.CaffeProto.BlobShape;
import io.github.int8cal.model.caffe.proto.CaffeProto.ConvolutionParameter;
import io.github.int8cal.model.caffe.proto.CaffeProto.EltwiseParameter;
import io.github.int8cal.model.caffe.proto.CaffeProto.LayerParameter;
import io.github.int8cal.model.caffe.proto.CaffeProto.NetParameter;
import io.github.int8cal.model.caffe.proto.CaffeProto.NetStateRule;
import io.github.int8cal.model.caffe.proto.CaffeProto.Phase;
import io.github.int8cal.model.caffe.proto.CaffeProto.PoolingParameter;
import io.github.int8cal.model.caffe.proto.CaffeProto.V1LayerParameter;
import io.github.int8cal.problems.ProblemException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a Caffe network: the {@code .prototxt} (protobuf text format, {@code layer} or old V1
 * {@code layers}) and, optionally, the {@code .caffemodel} with the trained blobs. Without a
 * caffemodel the graph has every shape but no weight values, which is enough for table naming and
 * scale unification.
 *
 * <p>In-place layers ({@code top == bottom}) each get their own tensor, as in nvdla_compiler and
 * TensorRT: the last writer of a blob owns the blob name, earlier writers are named
 * {@code blob@layer} (see {@link io.github.int8cal.model.Tensor}).
 */
public final class CaffeReader {

    /** A prototxt is small; anything bigger is not one (e.g. a caffemodel passed by mistake). */
    static final long PROTOTXT_LIMIT = 64L * 1024 * 1024;

    public Graph read(Path prototxt, Path caffemodel) throws ProblemException {
        NetParameter net = parsePrototxt(prototxt);
        Map<String, List<BlobProto>> blobs = caffemodel == null ? null : parseCaffemodel(caffemodel);
        return new NetConverter(prototxt, net, blobs, caffemodel).convert();
    }

    /**
     * protobuf-java logs every tolerated unknown field (each weight_filler, param, ...) at WARNING on
     * this logger; tolerating them is our design, so only errors from it are shown. Held in a final
     * field because java.util.logging forgets the level of loggers nobody references.
     */
    private static final java.util.logging.Logger TEXT_FORMAT_LOG = quietTextFormatLog();

    private static java.util.logging.Logger quietTextFormatLog() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(TextFormat.class.getName());
        log.setLevel(java.util.logging.Level.SEVERE);
        return log;
    }

    static NetParameter parsePrototxt(Path prototxt) throws ProblemException {
        byte[] bytes = ModelFiles.read(prototxt, "Caffe prototxt", PROTOTXT_LIMIT);
        String text = new String(bytes, StandardCharsets.UTF_8);
        NetParameter.Builder builder = NetParameter.newBuilder();
        TextFormat.Parser parser = TextFormat.Parser.newBuilder().setAllowUnknownFields(true).build();
        try {
            parser.merge(text, builder);
        } catch (TextFormat.ParseException e) {
            String message = e.getMessage();
            // protobuf prefixes "line:column: "; we put the location in front of the path instead
            String prefix = e.getLine() + ":" + e.getColumn() + ": ";
            if (message != null && message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            }
            String where = e.getLine() >= 0 ? prototxt + ":" + e.getLine() + ":" + e.getColumn() : prototxt.toString();
            throw new ProblemException(where, "Caffe prototxt syntax error: " + message
                    + " (the file must be protobuf text format, e.g. layer { name: \"conv1\" type: \"Convolution\" ... })");
        }
        NetParameter net = builder.build();
        if (net.getLayerCount() == 0 && net.getLayersCount() == 0) {
            throw new ProblemException(prototxt.toString(),
                    "no 'layer { ... }' (or old-style 'layers { ... }') blocks found; is this a Caffe deploy prototxt?");
        }
        return net;
    }

    /** Layer name to blobs, from a binary NetParameter (either layer list). */
    static Map<String, List<BlobProto>> parseCaffemodel(Path caffemodel) throws ProblemException {
        byte[] bytes = ModelFiles.read(caffemodel, "Caffe weights file (.caffemodel)", ModelFiles.PROTOBUF_LIMIT);
        String text = ModelFiles.textKind(bytes);
        if (text != null) {
            throw new ProblemException(caffemodel.toString(), "is " + text + ", not a binary .caffemodel");
        }
        NetParameter net;
        try {
            net = NetParameter.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ProblemException(caffemodel.toString(), "not a readable binary .caffemodel (protobuf "
                    + "NetParameter): " + e.getMessage() + " The file may be truncated or of another type.");
        }
        Map<String, List<BlobProto>> byName = new HashMap<>();
        for (LayerParameter l : net.getLayerList()) {
            byName.putIfAbsent(l.getName(), l.getBlobsList());
        }
        for (V1LayerParameter l : net.getLayersList()) {
            byName.putIfAbsent(l.getName(), l.getBlobsList());
        }
        if (byName.isEmpty()) {
            throw new ProblemException(caffemodel.toString(), "contains no layers; is it a Caffe .caffemodel?");
        }
        return byName;
    }

    /** One conversion run (holds per-file state so the reader itself stays stateless). */
    private static final class NetConverter {
        private final Path prototxt;
        private final NetParameter net;
        private final Map<String, List<BlobProto>> blobs;
        private final Path caffemodel;
        private final GraphBuilder g;
        /** blob name -> current tensor (SSA version) */
        private final Map<String, String> current = new HashMap<>();
        private final Map<String, Integer> lastWriter = new HashMap<>();

        NetConverter(Path prototxt, NetParameter net, Map<String, List<BlobProto>> blobs, Path caffemodel) {
            this.prototxt = prototxt;
            this.net = net;
            this.blobs = blobs;
            this.caffemodel = caffemodel;
            this.g = new GraphBuilder(prototxt.toString(), ModelFormat.CAFFE);
        }

        Graph convert() throws ProblemException {
            List<LayerParameter> layers = includedLayers();
            for (int i = 0; i < layers.size(); i++) {
                for (String top : layers.get(i).getTopList()) {
                    lastWriter.put(top, i);
                }
            }
            declaredInputs();
            for (int i = 0; i < layers.size(); i++) {
                layer(i, layers.get(i));
            }
            return g.build(net.getName().isEmpty() ? fileStem(prototxt) : net.getName(), prototxt, blobs != null, null);
        }

        /** Layers in TEST phase (Caffe's NetStateRule semantics for include/exclude; V1 converted). */
        private List<LayerParameter> includedLayers() {
            List<LayerParameter> all = new ArrayList<>(net.getLayerList());
            if (all.isEmpty()) {
                for (V1LayerParameter v1 : net.getLayersList()) {
                    all.add(V1Layers.upgrade(v1));
                }
            }
            List<LayerParameter> kept = new ArrayList<>();
            for (LayerParameter l : all) {
                boolean include = l.getIncludeCount() == 0;
                for (NetStateRule r : l.getIncludeList()) {
                    include |= !r.hasPhase() || r.getPhase() == Phase.TEST;
                }
                for (NetStateRule r : l.getExcludeList()) {
                    include &= !(!r.hasPhase() || r.getPhase() == Phase.TEST);
                }
                if (include) {
                    kept.add(l);
                }
            }
            return kept;
        }

        /** Deprecated net-level {@code input:} with {@code input_shape} or 4 {@code input_dim} values each. */
        private void declaredInputs() {
            for (int i = 0; i < net.getInputCount(); i++) {
                String name = net.getInput(i);
                Shape shape = null;
                if (i < net.getInputShapeCount()) {
                    shape = shapeOf(net.getInputShape(i));
                } else if (net.getInputDimCount() >= 4 * (i + 1)) {
                    List<Integer> d = net.getInputDimList().subList(4 * i, 4 * i + 4);
                    shape = Shape.of(d.get(0), d.get(1), d.get(2), d.get(3));
                }
                if (shape == null || !positive(shape)) {
                    g.problem(prototxt.toString(), "input '" + name + "' needs a positive shape "
                            + "(input_shape { dim: 1 dim: 3 dim: 224 dim: 224 } or four input_dim values)");
                    g.markBroken(List.of(name));
                    continue;
                }
                g.addInput(name, name, shape);
                current.put(name, name);
            }
        }

        private void layer(int index, LayerParameter l) {
            String name = l.getName().isEmpty() ? l.getType() + "_" + index : l.getName();
            String type = l.getType();
            List<String> outs = new ArrayList<>();
            for (String top : l.getTopList()) {
                outs.add(lastWriter.get(top) == index ? top : top + "@" + name);
            }
            if (type.equals("Input")) {
                input(l, name);
                return;
            }
            Op op = opOf(l);
            if (op == null) {
                g.unsupported(name, type.equals("Pooling") ? "Pooling (STOCHASTIC)" : type, outs);
                bind(l, outs);
                return;
            }
            int expectedTops = 1;
            if (l.getTopCount() != expectedTops) {
                g.problem(prototxt.toString(), GraphBuilder.describe(name, type) + " has " + l.getTopCount()
                        + " top blobs; exactly 1 expected");
                g.markBroken(outs);
                bind(l, outs);
                return;
            }
            List<String> ins = new ArrayList<>();
            for (String bottom : l.getBottomList()) {
                String t = current.get(bottom);
                if (t == null) {
                    if (!g.isBroken(bottom)) {
                        g.problem(prototxt.toString(), GraphBuilder.describe(name, type) + " reads blob '" + bottom
                                + "', which no earlier layer or input produces");
                    }
                    g.markBroken(outs);
                    bind(l, outs);
                    return;
                }
                ins.add(t);
            }
            int bottoms = switch (op) {
                case ELTWISE, CONCAT -> -1;
                default -> 1;
            };
            if ((bottoms == 1 && ins.size() != 1) || (bottoms == -1 && ins.size() < 1)) {
                g.problem(prototxt.toString(), GraphBuilder.describe(name, type) + " has " + ins.size()
                        + " bottom blobs; " + (bottoms == 1 ? "exactly 1" : "at least 1") + " expected"
                        + (op == Op.SCALE || op == Op.BIAS ? " (a second bottom as the factor is not supported)" : ""));
                g.markBroken(outs);
                bind(l, outs);
                return;
            }
            if (ins.stream().anyMatch(g::isBroken)) {
                g.markBroken(outs);
                bind(l, outs);
                return;
            }
            Shape in = g.tensor(ins.get(0)).shape();
            Attributes.Builder a = Attributes.builder();
            Map<String, String> weights = new LinkedHashMap<>();
            try {
                switch (op) {
                    case CONVOLUTION -> convolution(l, name, in, a, weights);
                    case INNER_PRODUCT -> innerProduct(l, name, in, a, weights);
                    case BATCH_NORM -> batchNorm(l, name, in, a, weights);
                    case SCALE -> scale(l, name, in, a, weights);
                    case BIAS -> perChannel(l, name, in, 0, "bias", weights);
                    case PRELU -> perChannel(l, name, in, 0, "slope", weights);
                    case RELU -> a.put("negative_slope", (double) l.getReluParam().getNegativeSlope());
                    case CLIP -> a.put("min", (double) l.getClipParam().getMin())
                            .put("max", (double) l.getClipParam().getMax());
                    case POOLING -> pooling(l, a);
                    case ELTWISE -> eltwise(l, name, ins.size(), a);
                    case CONCAT -> a.put("axis", l.getConcatParam().hasAxis() ? l.getConcatParam().getAxis()
                            : l.getConcatParam().getConcatDim());
                    case FLATTEN -> a.put("axis", l.getFlattenParam().getAxis())
                            .put("end_axis", l.getFlattenParam().getEndAxis());
                    case RESHAPE -> a.putLongs("shape", l.getReshapeParam().getShape().getDimList())
                            .put("axis", l.getReshapeParam().getAxis())
                            .put("num_axes", l.getReshapeParam().getNumAxes());
                    case SOFTMAX -> a.put("axis", l.getSoftmaxParam().getAxis());
                    default -> {
                    }
                }
            } catch (WeightProblem e) {
                g.problem(caffemodel == null ? prototxt.toString() : caffemodel.toString(),
                        GraphBuilder.describe(name, type) + ": " + e.getMessage());
                g.markBroken(outs);
                bind(l, outs);
                return;
            }
            List<String> sourceNames = new ArrayList<>(l.getTopList());
            g.addLayer(name, op, type, ins, outs, sourceNames, weights, a.build());
            bind(l, outs);
        }

        private void bind(LayerParameter l, List<String> outs) {
            for (int i = 0; i < l.getTopCount(); i++) {
                current.put(l.getTop(i), outs.get(i));
            }
        }

        private void input(LayerParameter l, String name) {
            List<BlobShape> shapes = l.getInputParam().getShapeList();
            for (int i = 0; i < l.getTopCount(); i++) {
                String top = l.getTop(i);
                BlobShape s = shapes.size() == 1 ? shapes.get(0) : i < shapes.size() ? shapes.get(i) : null;
                Shape shape = s == null ? null : shapeOf(s);
                if (shape == null || !positive(shape)) {
                    g.problem(prototxt.toString(), GraphBuilder.describe(name, "Input") + " needs a positive shape "
                            + "for top '" + top + "' (input_param { shape { dim: 1 dim: 3 dim: 224 dim: 224 } })");
                    g.markBroken(List.of(top));
                    continue;
                }
                g.addInput(top, top, shape);
                current.put(top, top);
            }
        }

        private static Op opOf(LayerParameter l) {
            return switch (l.getType()) {
                case "Convolution" -> Op.CONVOLUTION;
                case "InnerProduct" -> Op.INNER_PRODUCT;
                case "BatchNorm" -> Op.BATCH_NORM;
                case "Scale" -> Op.SCALE;
                case "Bias" -> Op.BIAS;
                case "ReLU" -> Op.RELU;
                case "PReLU" -> Op.PRELU;
                case "Clip" -> Op.CLIP;
                case "Pooling" -> l.getPoolingParam().getPool() == PoolingParameter.PoolMethod.STOCHASTIC
                        ? null : Op.POOLING;
                case "Eltwise" -> Op.ELTWISE;
                case "Concat" -> Op.CONCAT;
                case "Flatten" -> Op.FLATTEN;
                case "Reshape" -> Op.RESHAPE;
                case "Softmax" -> Op.SOFTMAX;
                case "Dropout" -> Op.DROPOUT;
                default -> null;
            };
        }

        private void convolution(LayerParameter l, String name, Shape in, Attributes.Builder a,
                Map<String, String> weights) throws WeightProblem {
            ConvolutionParameter p = l.getConvolutionParam();
            if (p.getAxis() != 1) {
                throw new WeightProblem("convolution axis " + p.getAxis() + " is not supported (only 1)");
            }
            if (p.getKernelSizeCount() > 2 || p.getPadCount() > 2 || p.getStrideCount() > 2 || p.getDilationCount() > 2) {
                throw new WeightProblem("only 2-D convolution is supported");
            }
            // Caffe: repeated values are given as [h, w] (one value means both); *_h / *_w win
            long kh = p.hasKernelH() ? p.getKernelH() : pick(p.getKernelSizeList(), 0, 0);
            long kw = p.hasKernelW() ? p.getKernelW() : pick(p.getKernelSizeList(), 1, 0);
            long sh = p.hasStrideH() ? p.getStrideH() : pick(p.getStrideList(), 0, 1);
            long sw = p.hasStrideW() ? p.getStrideW() : pick(p.getStrideList(), 1, 1);
            long ph = p.hasPadH() ? p.getPadH() : pick(p.getPadList(), 0, 0);
            long pw = p.hasPadW() ? p.getPadW() : pick(p.getPadList(), 1, 0);
            long dh = pick(p.getDilationList(), 0, 1);
            long dw = pick(p.getDilationList(), 1, 1);
            long o = p.getNumOutput();
            long group = p.getGroup();
            if (o < 1 || kh < 1 || kw < 1) {
                throw new WeightProblem("convolution_param needs num_output and kernel_size (or kernel_h/kernel_w)");
            }
            if (in.rank() != 4 || group < 1 || in.dim(1) % group != 0 || o % group != 0) {
                throw new WeightProblem("group " + group + " must divide input channels and num_output "
                        + o + " (input " + in + ")");
            }
            a.put("num_output", o).putLongs("kernel", List.of(kh, kw)).putLongs("stride", List.of(sh, sw))
                    .putLongs("pads", List.of(ph, pw, ph, pw)).putLongs("dilation", List.of(dh, dw))
                    .put("group", group).put("bias", p.getBiasTerm());
            weights.put("weight", constant(l, name, "weight", 0, Shape.of(o, in.dim(1) / group, kh, kw), false));
            if (p.getBiasTerm()) {
                weights.put("bias", constant(l, name, "bias", 1, Shape.of(o), false));
            }
        }

        private void innerProduct(LayerParameter l, String name, Shape in, Attributes.Builder a,
                Map<String, String> weights) throws WeightProblem {
            var p = l.getInnerProductParam();
            long n = p.getNumOutput();
            int axis = p.getAxis() < 0 ? p.getAxis() + in.rank() : p.getAxis();
            if (n < 1 || axis < 0 || axis >= in.rank()) {
                throw new WeightProblem("inner_product_param needs num_output ≥ 1 and a valid axis (got "
                        + p.getAxis() + " for input " + in + ")");
            }
            long k = 1;
            for (int i = axis; i < in.rank(); i++) {
                k *= in.dim(i);
            }
            a.put("num_output", n).put("axis", (long) axis).put("bias", p.getBiasTerm());
            weights.put("weight", constant(l, name, "weight", 0, Shape.of(n, k), p.getTranspose()));
            if (p.getBiasTerm()) {
                weights.put("bias", constant(l, name, "bias", 1, Shape.of(n), false));
            }
        }

        /**
         * Caffe BatchNorm: blobs mean, variance, moving-average factor. Like Caffe's BatchNormLayer
         * (and nvdla_compiler / TensorRT), mean and variance are multiplied by the float32
         * reciprocal of the factor; a zero factor gives zero statistics, as in Caffe.
         */
        private void batchNorm(LayerParameter l, String name, Shape in, Attributes.Builder a,
                Map<String, String> weights) throws WeightProblem {
            long c = in.rank() > 1 ? in.dim(1) : 1;
            a.put("epsilon", (double) l.getBatchNormParam().getEps());
            if (blobs == null) {
                weights.put("mean", constantNoData(name, "mean", Shape.of(c)));
                weights.put("variance", constantNoData(name, "variance", Shape.of(c)));
                return;
            }
            List<BlobProto> b = layerBlobs(l, name, 3);
            float[] mean = values(b.get(0), c, "mean");
            float[] var = values(b.get(1), c, "variance");
            float[] factor = values(b.get(2), 1, "moving-average factor");
            float f = factor[0];
            float scale = f == 0f ? 0f : 1f / f;
            if (f == 0f) {
                g.warn("BatchNorm '" + name + "': moving-average factor (blob 2) is 0, so mean and variance are "
                        + "used as 0 (Caffe's rule); nvdla_compiler and TensorRT reject this layer");
            }
            for (int i = 0; i < c; i++) {
                mean[i] = mean[i] * scale;
                var[i] = var[i] * scale;
            }
            a.put("moving_average_factor", (double) f);
            weights.put("mean", put(name, "mean", Shape.of(c), mean));
            weights.put("variance", put(name, "variance", Shape.of(c), var));
        }

        private void scale(LayerParameter l, String name, Shape in, Attributes.Builder a,
                Map<String, String> weights) throws WeightProblem {
            var p = l.getScaleParam();
            int axis = p.getAxis() < 0 ? p.getAxis() + in.rank() : p.getAxis();
            if (axis != 1 || p.getNumAxes() != 1) {
                throw new WeightProblem("scale_param axis " + p.getAxis() + " / num_axes " + p.getNumAxes()
                        + " is not supported (only per-channel: axis 1, num_axes 1)");
            }
            a.put("axis", 1L).put("bias", p.getBiasTerm());
            perChannel(l, name, in, 0, "scale", weights);
            if (p.getBiasTerm()) {
                perChannel(l, name, in, 1, "bias", weights);
            }
        }

        /** A per-channel ([C]) or scalar ([1]) parameter blob. */
        private void perChannel(LayerParameter l, String name, Shape in, int index, String role,
                Map<String, String> weights) throws WeightProblem {
            long c = in.rank() > 1 ? in.dim(1) : 1;
            if (blobs == null) {
                weights.put(role, constantNoData(name, role, Shape.of(c)));
                return;
            }
            List<BlobProto> b = layerBlobs(l, name, index + 1);
            long count = count(b.get(index));
            if (count != c && count != 1) {
                throw new WeightProblem(String.format(Locale.ROOT, "%s blob has %d values; expected %d (one per "
                        + "channel) or 1", role, count, c));
            }
            weights.put(role, put(name, role, Shape.of(count), values(b.get(index), count, role)));
        }

        private void pooling(LayerParameter l, Attributes.Builder a) throws WeightProblem {
            PoolingParameter p = l.getPoolingParam();
            boolean global = p.getGlobalPooling();
            long kh = p.hasKernelH() ? p.getKernelH() : p.getKernelSize();
            long kw = p.hasKernelW() ? p.getKernelW() : p.getKernelSize();
            long sh = p.hasStrideH() ? p.getStrideH() : p.getStride();
            long sw = p.hasStrideW() ? p.getStrideW() : p.getStride();
            long ph = p.hasPadH() ? p.getPadH() : p.getPad();
            long pw = p.hasPadW() ? p.getPadW() : p.getPad();
            if (!global && (kh < 1 || kw < 1)) {
                throw new WeightProblem("pooling_param needs kernel_size (or kernel_h/kernel_w) or global_pooling");
            }
            a.put("method", p.getPool() == PoolingParameter.PoolMethod.AVE ? "AVE" : "MAX")
                    .putLongs("kernel", List.of(kh, kw)).putLongs("stride", List.of(sh, sw))
                    .putLongs("pads", List.of(ph, pw, ph, pw)).put("global", global)
                    .put("ceil_mode", p.getRoundMode() == PoolingParameter.RoundMode.CEIL)
                    // Caffe's average pooling divides by the window clipped to the padded input
                    .put("count_include_pad", true);
        }

        private void eltwise(LayerParameter l, String name, int inputs, Attributes.Builder a) throws WeightProblem {
            EltwiseParameter p = l.getEltwiseParam();
            a.put("operation", p.getOperation().name());
            if (p.getCoeffCount() > 0) {
                if (p.getOperation() != EltwiseParameter.EltwiseOp.SUM || p.getCoeffCount() != inputs) {
                    throw new WeightProblem("Eltwise coefficients need operation SUM and one coeff per bottom ("
                            + inputs + "), got " + p.getCoeffCount());
                }
                a.putDoubles("coefficients", p.getCoeffList().stream().map(Float::doubleValue).toList());
            }
        }

        private String constant(LayerParameter l, String name, String role, int index, Shape shape, boolean transposed)
                throws WeightProblem {
            if (blobs == null) {
                return constantNoData(name, role, shape);
            }
            List<BlobProto> b = layerBlobs(l, name, index + 1);
            float[] v = values(b.get(index), shape.elementCount(), role);
            if (transposed) {
                // stored [K, N] (inner_product_param transpose: true); we keep [N, K]
                v = transpose(v, (int) shape.dim(1), (int) shape.dim(0));
            }
            return put(name, role, shape, v);
        }

        private String constantNoData(String layer, String role, Shape shape) {
            String t = layer + "." + role;
            g.addConstant(t, shape, null);
            return t;
        }

        private String put(String layer, String role, Shape shape, float[] v) {
            String t = layer + "." + role;
            g.addConstant(t, shape, Weights.copyOf(v));
            return t;
        }

        private List<BlobProto> layerBlobs(LayerParameter l, String name, int needed) throws WeightProblem {
            List<BlobProto> b = blobs.get(l.getName());
            if (b == null) {
                throw new WeightProblem("no layer named '" + l.getName() + "' in the caffemodel; the prototxt and "
                        + "caffemodel do not belong together");
            }
            if (b.size() < needed) {
                throw new WeightProblem("the caffemodel has " + b.size() + " blobs for this layer; at least "
                        + needed + " expected");
            }
            return b;
        }

        private static long count(BlobProto b) {
            return b.getDataCount() > 0 ? b.getDataCount() : b.getDoubleDataCount();
        }

        private static float[] values(BlobProto b, long expected, String role) throws WeightProblem {
            long n = count(b);
            if (n != expected) {
                throw new WeightProblem(String.format(Locale.ROOT, "%s blob has %d values; the prototxt implies %d%s",
                        role, n, expected, n == 0 ? " (the blob is empty: fp16-only or diff-only blobs are not supported)" : ""));
            }
            float[] v = new float[(int) n];
            if (b.getDataCount() > 0) {
                for (int i = 0; i < n; i++) {
                    v[i] = b.getData(i);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    v[i] = (float) b.getDoubleData(i);
                }
            }
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new WeightProblem(role + " value " + i + " is " + v[i] + "; weights must be finite");
                }
            }
            return v;
        }

        private static float[] transpose(float[] v, int rows, int cols) {
            float[] t = new float[v.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t[c * rows + r] = v[r * cols + c];
                }
            }
            return t;
        }

        private static long pick(List<Integer> values, int index, long fallback) {
            if (values.isEmpty()) {
                return fallback;
            }
            return index < values.size() ? values.get(index) : values.get(0);
        }

        private static Shape shapeOf(BlobShape s) {
            return new Shape(s.getDimList());
        }

        private static boolean positive(Shape s) {
            return s.rank() > 0 && s.dims().stream().allMatch(d -> d > 0);
        }

        private static String fileStem(Path p) {
            String n = p.getFileName().toString();
            int dot = n.lastIndexOf('.');
            return dot > 0 ? n.substring(0, dot) : n;
        }
    }

    /** A layer's parameters or blobs do not fit; becomes one problem naming the layer. */
    private static final class WeightProblem extends Exception {
        private static final long serialVersionUID = 1L;

        WeightProblem(String message) {
            super(message);
        }
    }
}
