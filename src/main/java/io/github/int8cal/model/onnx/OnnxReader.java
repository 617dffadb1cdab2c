package io.github.int8cal.model.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.github.int8cal.model.Attributes;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.GraphBuilder;
import io.github.int8cal.model.ModelFiles;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.model.Op;
import io.github.int8cal.model.Shape;
import io.github.int8cal.model.Tensor;
import io.github.int8cal.model.Weights;
import io.github.int8cal.model.onnx.proto.OnnxProto.AttributeProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.GraphProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.ModelProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.NodeProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.TensorProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.TensorShapeProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.ValueInfoProto;
import io.github.int8cal.problems.ProblemException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a self-contained {@code .onnx} file (weights inside the file) of default-domain operators,
 * opset {@value #MIN_OPSET} to {@value #MAX_OPSET}. Nodes must be in topological order, as the ONNX
 * spec requires. Constant operands (initializers and Constant nodes) become layer weights; weights
 * are converted to the canonical layouts of {@link Op}.
 */
public final class OnnxReader {

    public static final int MIN_OPSET = 7;
    public static final int MAX_OPSET = 22;

    public Graph read(Path file) throws ProblemException {
        byte[] bytes = ModelFiles.read(file, "ONNX model", ModelFiles.PROTOBUF_LIMIT);
        String text = ModelFiles.textKind(bytes);
        if (text != null) {
            throw new ProblemException(file.toString(), "is " + text + ", not a binary ONNX model (.onnx protobuf)");
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ProblemException(file.toString(), "not a readable ONNX model: " + e.getMessage()
                    + " The file may be truncated or of another type.");
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getIrVersion() <= 0) {
            throw new ProblemException(file.toString(), "does not look like an ONNX model (no ir_version or no graph "
                    + "nodes); export it again with torch.onnx.export / tf2onnx");
        }
        int opset = defaultOpset(model);
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new ProblemException(file.toString(), String.format(Locale.ROOT,
                    "ONNX opset %s is not supported; use opset %d to %d (onnx.version_converter can convert)",
                    opset < 0 ? "(none imported)" : String.valueOf(opset), MIN_OPSET, MAX_OPSET));
        }
        return new Converter(file, model.getGraph(), opset).convert();
    }

    private static int defaultOpset(ModelProto model) {
        int version = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                version = (int) o.getVersion();
            }
        }
        return version;
    }

    /** A float32 constant (weights) as read from the file. */
    private record FloatConstant(Shape shape, float[] values) {
    }

    /** One conversion (per-file state; the reader stays stateless). */
    private static final class Converter {
        private final Path file;
        private final GraphProto graph;
        private final int opset;
        private final GraphBuilder g;
        private final Map<String, TensorProto> constants = new LinkedHashMap<>();
        private final Set<String> registered = new HashSet<>();

        Converter(Path file, GraphProto graph, int opset) {
            this.file = file;
            this.graph = graph;
            this.opset = opset;
            this.g = new GraphBuilder(file.toString(), ModelFormat.ONNX);
        }

        Graph convert() throws ProblemException {
            for (TensorProto t : graph.getInitializerList()) {
                constants.put(t.getName(), t);
            }
            for (ValueInfoProto in : graph.getInputList()) {
                if (!constants.containsKey(in.getName())) {
                    input(in);
                }
            }
            List<NodeProto> nodes = graph.getNodeList();
            for (int i = 0; i < nodes.size(); i++) {
                node(i, nodes.get(i));
            }
            List<String> outputs = graph.getOutputList().stream().map(ValueInfoProto::getName).toList();
            String name = graph.getName().isEmpty() ? file.getFileName().toString() : graph.getName();
            return g.build(name, file, true, outputs);
        }

        private void input(ValueInfoProto in) {
            List<Long> dims = new ArrayList<>();
            TensorShapeProto shape = in.getType().getTensorType().getShape();
            if (!in.getType().hasTensorType() || !in.getType().getTensorType().hasShape()) {
                g.problem("input '" + in.getName() + "' has no tensor shape; give the model fixed input shapes");
                g.markBroken(List.of(in.getName()));
                return;
            }
            for (int i = 0; i < shape.getDimCount(); i++) {
                TensorShapeProto.Dimension d = shape.getDim(i);
                if (d.hasDimValue() && d.getDimValue() > 0) {
                    dims.add(d.getDimValue());
                } else if (i == 0) {
                    dims.add(1L);
                    g.warn("input '" + in.getName() + "': batch dimension '" + d.getDimParam() + "' taken as 1");
                } else {
                    g.problem("input '" + in.getName() + "' dimension " + i + " is not fixed ('" + d.getDimParam()
                            + "'); export the model with fixed input sizes (or fix them with onnxsim --overwrite-input-shape)");
                    g.markBroken(List.of(in.getName()));
                    return;
                }
            }
            g.addInput(in.getName(), in.getName(), new Shape(dims));
        }

        private void node(int index, NodeProto n) {
            String type = n.getOpType();
            String name = n.getName().isEmpty() ? type + "_" + index : n.getName();
            List<String> outs = n.getOutputList().stream().filter(o -> !o.isEmpty()).toList();
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                g.unsupported(name, n.getDomain() + ":" + type, outs);
                return;
            }
            if (type.equals("Constant")) {
                constantNode(name, n);
                return;
            }
            if (outs.isEmpty()) {
                g.problem(GraphBuilder.describe(name, type) + " has no output");
                return;
            }
            Map<String, AttributeProto> attrs = new HashMap<>();
            n.getAttributeList().forEach(a -> attrs.put(a.getName(), a));
            List<String> acts = new ArrayList<>();
            List<String> consts = new ArrayList<>();
            for (String in : n.getInputList()) {
                if (in.isEmpty()) {
                    consts.add("");
                } else if (constants.containsKey(in)) {
                    consts.add(in);
                } else {
                    acts.add(in);
                    consts.add(null);
                }
            }
            Attributes.Builder a = Attributes.builder();
            Map<String, String> weights = new LinkedHashMap<>();
            Op op;
            List<String> layerOuts = List.of(outs.get(0));
            try {
                op = switch (type) {
                    case "Conv" -> conv(name, n, attrs, acts, a, weights);
                    case "Gemm" -> gemm(name, n, attrs, acts, a, weights);
                    case "MatMul" -> matMul(name, n, acts, a, weights);
                    case "BatchNormalization" -> batchNorm(name, n, attrs, acts, a, weights);
                    case "Relu" -> {
                        a.put("negative_slope", 0.0);
                        yield Op.RELU;
                    }
                    case "LeakyRelu" -> {
                        a.put("negative_slope", (double) floatAttr(attrs, "alpha", 0.01f));
                        yield Op.RELU;
                    }
                    case "PRelu" -> perChannel(name, n, 1, acts, "slope", false, false, weights) ? Op.PRELU : null;
                    case "Clip" -> clip(n, attrs, a);
                    case "MaxPool", "AveragePool" -> pool(type, n, attrs, acts, a);
                    case "GlobalMaxPool", "GlobalAveragePool" -> {
                        a.put("method", type.equals("GlobalMaxPool") ? "MAX" : "AVE").put("global", true)
                                .putLongs("kernel", List.of(1L, 1L)).putLongs("stride", List.of(1L, 1L))
                                .putLongs("pads", List.of(0L, 0L, 0L, 0L)).put("ceil_mode", false)
                                .put("count_include_pad", false);
                        yield Op.POOLING;
                    }
                    case "Add", "Sub", "Mul", "Div" -> arithmetic(name, type, n, acts, a, weights);
                    case "Sum", "Max" -> {
                        requireActivations(n, acts);
                        a.put("operation", type.equals("Sum") ? "SUM" : "MAX");
                        yield Op.ELTWISE;
                    }
                    case "Concat" -> {
                        requireActivations(n, acts);
                        a.put("axis", intAttr(attrs, "axis", 1));
                        yield Op.CONCAT;
                    }
                    case "Flatten" -> {
                        a.put("axis", intAttr(attrs, "axis", 1)).put("collapse_leading", true);
                        yield Op.FLATTEN;
                    }
                    case "Reshape" -> reshape(n, attrs, a);
                    case "Softmax" -> {
                        a.put("axis", intAttr(attrs, "axis", opset < 13 ? 1 : -1));
                        yield Op.SOFTMAX;
                    }
                    case "Dropout", "Identity" -> Op.DROPOUT;
                    default -> null;
                };
            } catch (NodeProblem e) {
                g.problem(GraphBuilder.describe(name, type) + ": " + e.getMessage());
                g.markBroken(outs);
                return;
            }
            if (op == null) {
                g.unsupported(name, type, outs);
                return;
            }
            if (acts.isEmpty()) {
                g.problem(GraphBuilder.describe(name, type) + " reads only constants; fold it into a constant "
                        + "(e.g. with onnxsim) before calibrating");
                g.markBroken(outs);
                return;
            }
            List<String> layerIns = op == Op.ELTWISE || op == Op.CONCAT ? acts : List.of(acts.get(0));
            if (outs.size() > 1 && !(type.equals("Dropout") || type.equals("BatchNormalization"))) {
                g.problem(GraphBuilder.describe(name, type) + " has " + outs.size() + " outputs; only one is supported");
                g.markBroken(outs);
                return;
            }
            g.addLayer(name, op, type, layerIns, layerOuts, layerOuts, weights, a.build());
        }

        private Op conv(String name, NodeProto n, Map<String, AttributeProto> attrs, List<String> acts,
                Attributes.Builder a, Map<String, String> weights) throws NodeProblem {
            FloatConstant w = constantOperand(n, 1, "weight");
            if (w.shape().rank() != 4) {
                throw new NodeProblem("only 2-D convolution is supported (weight shape " + w.shape() + ")");
            }
            long o = w.shape().dim(0);
            List<Long> k = longsAttr(attrs, "kernel_shape", List.of(w.shape().dim(2), w.shape().dim(3)));
            List<Long> s = longsAttr(attrs, "strides", List.of(1L, 1L));
            List<Long> d = longsAttr(attrs, "dilations", List.of(1L, 1L));
            long group = intAttr(attrs, "group", 1);
            List<Long> pads = pads(attrs, acts, k, s, d);
            a.put("num_output", o).putLongs("kernel", k).putLongs("stride", s).putLongs("pads", pads)
                    .putLongs("dilation", d).put("group", group).put("bias", n.getInputCount() > 2 && !n.getInput(2).isEmpty());
            Tensor x = activation(acts);
            if (x != null && x.shape().rank() == 4 && x.shape().dim(1) != w.shape().dim(1) * group) {
                throw new NodeProblem("weight " + w.shape() + " with group " + group + " needs " + w.shape().dim(1) * group
                        + " input channels, the input has " + x.shape());
            }
            weights.put("weight", register(n.getInput(1), w.shape(), w.values()));
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                FloatConstant b = constantOperand(n, 2, "bias");
                requireCount(b, o, "bias");
                weights.put("bias", register(n.getInput(2), Shape.of(o), b.values()));
            }
            return Op.CONVOLUTION;
        }

        /** Explicit [top, left, bottom, right] pads, resolving auto_pad (needs the input shape). */
        private List<Long> pads(Map<String, AttributeProto> attrs, List<String> acts, List<Long> k, List<Long> s,
                List<Long> d) throws NodeProblem {
            String autoPad = attrs.containsKey("auto_pad") ? attrs.get("auto_pad").getS().toStringUtf8() : "NOTSET";
            if (autoPad.equals("NOTSET")) {
                List<Long> p = longsAttr(attrs, "pads", List.of(0L, 0L, 0L, 0L));
                if (p.size() != 4) {
                    throw new NodeProblem("pads must have 4 values for 2-D, got " + p);
                }
                return p;
            }
            if (autoPad.equals("VALID")) {
                return List.of(0L, 0L, 0L, 0L);
            }
            Tensor x = activation(acts);
            if (x == null || x.shape().rank() != 4) {
                throw new NodeProblem("auto_pad " + autoPad + " needs a known NCHW input shape");
            }
            long[] begin = new long[2];
            long[] end = new long[2];
            for (int i = 0; i < 2; i++) {
                long in = x.shape().dim(2 + i);
                long out = (in + s.get(i) - 1) / s.get(i);
                long total = Math.max(0, (out - 1) * s.get(i) + (k.get(i) - 1) * d.get(i) + 1 - in);
                long small = total / 2;
                begin[i] = autoPad.equals("SAME_LOWER") ? total - small : small;
                end[i] = total - begin[i];
            }
            return List.of(begin[0], begin[1], end[0], end[1]);
        }

        private Op gemm(String name, NodeProto n, Map<String, AttributeProto> attrs, List<String> acts,
                Attributes.Builder a, Map<String, String> weights) throws NodeProblem {
            if (intAttr(attrs, "transA", 0) != 0) {
                throw new NodeProblem("transA=1 is not supported (the activation must be the left operand as is)");
            }
            Tensor x = activation(acts);
            if (x != null && x.shape().rank() != 2) {
                throw new NodeProblem("Gemm needs a 2-D input, got " + x.shape() + " (insert a Flatten)");
            }
            FloatConstant b = constantOperand(n, 1, "B");
            if (b.shape().rank() != 2) {
                throw new NodeProblem("B must be 2-D, got " + b.shape());
            }
            boolean transB = intAttr(attrs, "transB", 0) != 0;
            long nOut = transB ? b.shape().dim(0) : b.shape().dim(1);
            long kIn = transB ? b.shape().dim(1) : b.shape().dim(0);
            float alpha = floatAttr(attrs, "alpha", 1f);
            float beta = floatAttr(attrs, "beta", 1f);
            float[] w = transB ? b.values().clone() : transpose(b.values(), (int) kIn, (int) nOut);
            if (alpha != 1f) {
                for (int i = 0; i < w.length; i++) {
                    w[i] *= alpha;
                }
            }
            a.put("num_output", nOut).put("axis", 1L);
            weights.put("weight", register(name + ".weight", Shape.of(nOut, kIn), w));
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                FloatConstant c = constantOperand(n, 2, "C");
                float[] bias = new float[(int) nOut];
                if (c.values().length == 1) {
                    java.util.Arrays.fill(bias, c.values()[0] * beta);
                } else if (c.values().length == nOut) {
                    for (int i = 0; i < nOut; i++) {
                        bias[i] = c.values()[i] * beta;
                    }
                } else {
                    throw new NodeProblem("C must have 1 or " + nOut + " values (per output), got " + c.shape());
                }
                weights.put("bias", register(name + ".bias", Shape.of(nOut), bias));
            }
            a.put("bias", weights.containsKey("bias"));
            return Op.INNER_PRODUCT;
        }

        private Op matMul(String name, NodeProto n, List<String> acts, Attributes.Builder a,
                Map<String, String> weights) throws NodeProblem {
            if (acts.size() != 1 || !constants.containsKey(n.getInput(1))) {
                throw new NodeProblem("only activation × constant matrix is supported (a MatMul of two activations "
                        + "or with the constant on the left has no NVDLA mapping)");
            }
            FloatConstant b = constantOperand(n, 1, "B");
            if (b.shape().rank() != 2) {
                throw new NodeProblem("the constant operand must be 2-D [K, N], got " + b.shape());
            }
            Tensor x = activation(acts);
            long k = b.shape().dim(0);
            long nOut = b.shape().dim(1);
            if (x != null && (x.shape().rank() < 2 || x.shape().dim(x.shape().rank() - 1) != k)) {
                throw new NodeProblem("input " + x.shape() + " does not end in K = " + k);
            }
            a.put("num_output", nOut).put("axis", x == null ? 1L : (long) (x.shape().rank() - 1)).put("bias", false);
            weights.put("weight", register(name + ".weight", Shape.of(nOut, k), transpose(b.values(), (int) k, (int) nOut)));
            return Op.INNER_PRODUCT;
        }

        private Op batchNorm(String name, NodeProto n, Map<String, AttributeProto> attrs, List<String> acts,
                Attributes.Builder a, Map<String, String> weights) throws NodeProblem {
            if (intAttr(attrs, "training_mode", 0) != 0) {
                throw new NodeProblem("training_mode=1 is not an inference graph");
            }
            Tensor x = activation(acts);
            long c = x == null || x.shape().rank() < 2 ? -1 : x.shape().dim(1);
            String[] roles = {"scale", "bias", "mean", "variance"};
            for (int i = 0; i < roles.length; i++) {
                FloatConstant v = constantOperand(n, i + 1, roles[i]);
                if (c >= 0) {
                    requireCount(v, c, roles[i]);
                }
                weights.put(roles[i], register(n.getInput(i + 1), Shape.of(v.values().length), v.values()));
            }
            a.put("epsilon", (double) floatAttr(attrs, "epsilon", 1e-5f));
            return Op.BATCH_NORM;
        }

        private Op clip(NodeProto n, Map<String, AttributeProto> attrs, Attributes.Builder a) throws NodeProblem {
            double min = -Float.MAX_VALUE;
            double max = Float.MAX_VALUE;
            if (opset < 11) {
                min = floatAttr(attrs, "min", -Float.MAX_VALUE);
                max = floatAttr(attrs, "max", Float.MAX_VALUE);
            } else {
                if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
                    min = scalar(n, 1, "min");
                }
                if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                    max = scalar(n, 2, "max");
                }
            }
            a.put("min", min).put("max", max);
            return Op.CLIP;
        }

        private Op pool(String type, NodeProto n, Map<String, AttributeProto> attrs, List<String> acts,
                Attributes.Builder a) throws NodeProblem {
            if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) {
                throw new NodeProblem("the Indices output is not supported");
            }
            List<Long> k = longsAttr(attrs, "kernel_shape", List.of());
            if (k.size() != 2) {
                throw new NodeProblem("only 2-D pooling is supported (kernel_shape " + k + ")");
            }
            List<Long> d = longsAttr(attrs, "dilations", List.of(1L, 1L));
            if (!d.equals(List.of(1L, 1L))) {
                throw new NodeProblem("dilated pooling is not supported");
            }
            List<Long> s = longsAttr(attrs, "strides", List.of(1L, 1L));
            a.put("method", type.equals("MaxPool") ? "MAX" : "AVE").putLongs("kernel", k).putLongs("stride", s)
                    .putLongs("pads", pads(attrs, acts, k, s, d)).put("global", false)
                    .put("ceil_mode", intAttr(attrs, "ceil_mode", 0) != 0)
                    .put("count_include_pad", intAttr(attrs, "count_include_pad", 0) != 0);
            return Op.POOLING;
        }

        /**
         * Add/Mul of two activations are element-wise SUM/PROD. With a per-channel or scalar constant
         * they are Bias/Scale layers; Sub and Div by a constant become Bias(-c) and Scale(1/c).
         */
        private Op arithmetic(String name, String type, NodeProto n, List<String> acts, Attributes.Builder a,
                Map<String, String> weights) throws NodeProblem {
            if (n.getInputCount() != 2) {
                throw new NodeProblem("expected 2 inputs");
            }
            if (acts.size() == 2) {
                if (type.equals("Add") || type.equals("Mul")) {
                    a.put("operation", type.equals("Add") ? "SUM" : "PROD");
                    return Op.ELTWISE;
                }
                throw new NodeProblem(type + " of two activations is not supported");
            }
            int constIndex = constants.containsKey(n.getInput(1)) ? 1 : 0;
            if (constIndex == 0 && (type.equals("Sub") || type.equals("Div"))) {
                throw new NodeProblem(type + " with a constant left operand is not supported");
            }
            boolean negate = type.equals("Sub");
            boolean invert = type.equals("Div");
            String role = type.equals("Add") || type.equals("Sub") ? "bias" : "scale";
            perChannel(name, n, constIndex, acts, role, negate, invert, weights);
            return role.equals("bias") ? Op.BIAS : Op.SCALE;
        }

        /** A constant operand broadcast per channel (axis 1) or a scalar, stored as [C] or [1]. */
        private boolean perChannel(String name, NodeProto n, int index, List<String> acts, String role, boolean negate,
                boolean invert, Map<String, String> weights) throws NodeProblem {
            FloatConstant c = constantOperand(n, index, role);
            Tensor x = activation(acts);
            float[] v = c.values().clone();
            if (v.length != 1) {
                if (x == null || x.shape().rank() < 2) {
                    throw new NodeProblem("a per-channel constant needs an input of rank ≥ 2");
                }
                long channels = x.shape().dim(1);
                List<Long> cd = c.shape().dims();
                int offset = x.shape().rank() - cd.size();
                boolean ok = v.length == channels && offset <= 1;
                for (int i = 0; ok && i < cd.size(); i++) {
                    ok = cd.get(i) == 1 || i + offset == 1;
                }
                if (!ok) {
                    throw new NodeProblem("constant of shape " + c.shape() + " is neither a scalar nor per-channel for "
                            + "input " + x.shape() + " (only scalar or [C,1,1]-style constants are supported)");
                }
            }
            for (int i = 0; i < v.length; i++) {
                if (negate) {
                    v[i] = -v[i];
                }
                if (invert) {
                    v[i] = 1f / v[i];
                }
            }
            String tensor = negate || invert ? name + "." + role : n.getInput(index);
            weights.put(role, register(tensor, Shape.of(v.length), v));
            return true;
        }

        private Op reshape(NodeProto n, Map<String, AttributeProto> attrs, Attributes.Builder a) throws NodeProblem {
            List<Long> shape;
            if (opset < 5 || n.getInputCount() < 2) {
                shape = longsAttr(attrs, "shape", List.of());
            } else {
                TensorProto t = constants.get(n.getInput(1));
                if (t == null) {
                    throw new NodeProblem("the target shape '" + n.getInput(1) + "' is computed at run time; "
                            + "constant-fold the model (e.g. onnxsim) so it is a constant");
                }
                shape = OnnxTensors.longs(t);
            }
            a.putLongs("shape", shape).put("axis", 0L).put("num_axes", -1L)
                    .put("allowzero", intAttr(attrs, "allowzero", 0) != 0);
            return Op.RESHAPE;
        }

        private void constantNode(String name, NodeProto n) {
            AttributeProto value = n.getAttributeList().stream().filter(a -> a.getName().equals("value")).findFirst()
                    .orElse(null);
            if (value == null || n.getOutputCount() != 1) {
                g.unsupported(name, "Constant (without a 'value' tensor)", n.getOutputList());
                return;
            }
            constants.put(n.getOutput(0), value.getT().toBuilder().setName(n.getOutput(0)).build());
        }

        private FloatConstant constantOperand(NodeProto n, int index, String role) throws NodeProblem {
            if (n.getInputCount() <= index || n.getInput(index).isEmpty()) {
                throw new NodeProblem("missing " + role + " input");
            }
            TensorProto t = constants.get(n.getInput(index));
            if (t == null) {
                throw new NodeProblem(role + " '" + n.getInput(index) + "' must be a constant (initializer), "
                        + "not computed at run time");
            }
            try {
                return new FloatConstant(OnnxTensors.shape(t), OnnxTensors.floats(t));
            } catch (IllegalArgumentException e) {
                throw new NodeProblem(role + " '" + t.getName() + "': " + e.getMessage());
            }
        }

        private double scalar(NodeProto n, int index, String role) throws NodeProblem {
            FloatConstant c = constantOperand(n, index, role);
            if (c.values().length != 1) {
                throw new NodeProblem(role + " must be a scalar");
            }
            return c.values()[0];
        }

        private String register(String tensorName, Shape shape, float[] values) {
            if (registered.add(tensorName)) {
                g.addConstant(tensorName, shape, Weights.copyOf(values));
            }
            return tensorName;
        }

        private Tensor activation(List<String> acts) {
            return acts.isEmpty() ? null : g.tensor(acts.get(0));
        }

        private static void requireActivations(NodeProto n, List<String> acts) throws NodeProblem {
            if (acts.size() != n.getInputCount()) {
                throw new NodeProblem("constant operands are not supported here");
            }
        }

        private static void requireCount(FloatConstant c, long count, String role) throws NodeProblem {
            if (c.values().length != count) {
                throw new NodeProblem(role + " has " + c.values().length + " values; " + count + " expected");
            }
        }

        private static long intAttr(Map<String, AttributeProto> attrs, String key, long fallback) {
            AttributeProto a = attrs.get(key);
            return a == null ? fallback : a.getI();
        }

        private static float floatAttr(Map<String, AttributeProto> attrs, String key, float fallback) {
            AttributeProto a = attrs.get(key);
            return a == null ? fallback : a.getF();
        }

        private static List<Long> longsAttr(Map<String, AttributeProto> attrs, String key, List<Long> fallback) {
            AttributeProto a = attrs.get(key);
            return a == null ? fallback : a.getIntsList();
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
    }

    /** A node's attributes or operands do not fit; becomes one problem naming the node. */
    private static final class NodeProblem extends Exception {
        private static final long serialVersionUID = 1L;

        NodeProblem(String message) {
            super(message);
        }
    }

    /** Decoding of TensorProto payloads with size checks before any allocation. */
    static final class OnnxTensors {
        private OnnxTensors() {
        }

        static Shape shape(TensorProto t) {
            for (long d : t.getDimsList()) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in " + t.getDimsList());
                }
            }
            return new Shape(t.getDimsList());
        }

        private static int count(TensorProto t) {
            long n = 1;
            for (long d : t.getDimsList()) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in " + t.getDimsList());
                }
                n = Math.multiplyExact(n, d);
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("declares " + n + " elements, more than a file can hold");
            }
            return (int) n;
        }

        private static void requireInternal(TensorProto t) {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
                String location = t.getExternalDataList().stream().filter(e -> e.getKey().equals("location"))
                        .map(e -> e.getValue()).findFirst().orElse("?");
                throw new IllegalArgumentException("stores its data in an external file ('" + location + "'), which "
                        + "is not supported; save the model with the weights inside: onnx.save_model(model, path, "
                        + "save_as_external_data=False)");
            }
        }

        static float[] floats(TensorProto t) {
            requireInternal(t);
            int n = count(t);
            int type = t.getDataType();
            if (type == TensorProto.DataType.FLOAT_VALUE) {
                if (t.hasRawData()) {
                    requireBytes(t, n, 4);
                    float[] v = new float[n];
                    t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                    return v;
                }
                requireValues(t.getFloatDataCount(), n);
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.getFloatData(i);
                }
                return v;
            }
            if (type == TensorProto.DataType.DOUBLE_VALUE) {
                float[] v = new float[n];
                if (t.hasRawData()) {
                    requireBytes(t, n, 8);
                    ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        v[i] = (float) b.getDouble();
                    }
                    return v;
                }
                requireValues(t.getDoubleDataCount(), n);
                for (int i = 0; i < n; i++) {
                    v[i] = (float) t.getDoubleData(i);
                }
                return v;
            }
            throw new IllegalArgumentException("has data type " + typeName(type) + "; float32 weights are required "
                    + "(convert fp16/int8 models back to float32 before calibrating)");
        }

        static List<Long> longs(TensorProto t) {
            requireInternal(t);
            int n = count(t);
            List<Long> v = new ArrayList<>(n);
            int type = t.getDataType();
            if (type == TensorProto.DataType.INT64_VALUE) {
                if (t.hasRawData()) {
                    requireBytes(t, n, 8);
                    ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        v.add(b.getLong());
                    }
                    return v;
                }
                requireValues(t.getInt64DataCount(), n);
                return List.copyOf(t.getInt64DataList());
            }
            if (type == TensorProto.DataType.INT32_VALUE) {
                if (t.hasRawData()) {
                    requireBytes(t, n, 4);
                    ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        v.add((long) b.getInt());
                    }
                    return v;
                }
                requireValues(t.getInt32DataCount(), n);
                t.getInt32DataList().forEach(i -> v.add((long) i));
                return v;
            }
            throw new IllegalArgumentException("has data type " + typeName(type) + "; an int64 shape is required");
        }

        private static void requireBytes(TensorProto t, int n, int width) {
            if (t.getRawData().size() != (long) n * width) {
                throw new IllegalArgumentException("raw_data has " + t.getRawData().size() + " bytes; shape "
                        + t.getDimsList() + " needs " + (long) n * width);
            }
        }

        private static void requireValues(int have, int n) {
            if (have != n) {
                throw new IllegalArgumentException("holds " + have + " values; its shape needs " + n);
            }
        }

        private static String typeName(int type) {
            TensorProto.DataType d = TensorProto.DataType.forNumber(type);
            return d == null ? String.valueOf(type) : d.name();
        }
    }
}
