package io.github.int8cal.model;

import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Assembles a {@link Graph} layer by layer for the format readers: infers every output shape, and
 * collects every problem (bad shapes, unknown inputs, unsupported ops) so the reader fails once.
 * A layer reading a tensor that could not be built (because of an earlier problem) is skipped
 * silently, so one mistake is reported once, not once per downstream layer.
 */
public final class GraphBuilder {

    /** Human-readable list of what the readers accept, for the "unsupported op" message. */
    public static final String SUPPORTED_CAFFE = "Input, Convolution, InnerProduct, BatchNorm, Scale, Bias, ReLU, "
            + "PReLU, Clip, Pooling (MAX, AVE, global), Eltwise, Concat, Flatten, Reshape, Softmax, Dropout";
    public static final String SUPPORTED_ONNX = "Conv, Gemm, MatMul (constant right operand), BatchNormalization, "
            + "Relu, LeakyRelu, PRelu, Clip, MaxPool, AveragePool, GlobalMaxPool, GlobalAveragePool, Add, Sub, Mul, Div, "
            + "Sum, Max, Concat, Flatten, Reshape, Softmax, Dropout, Identity, Constant";

    private final String where;
    private final ModelFormat format;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final List<Layer> layers = new ArrayList<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> broken = new HashSet<>();
    private final Set<String> layerNames = new HashSet<>();
    private final Map<String, List<String>> unsupported = new TreeMap<>();

    /** @param where the file name used to locate problems */
    public GraphBuilder(String where, ModelFormat format) {
        this.where = where;
        this.format = format;
    }

    public void addInput(String name, String sourceName, Shape shape) {
        tensors.put(name, new Tensor(name, TensorKind.INPUT, shape, sourceName, null));
        inputs.add(name);
    }

    public void addConstant(String name, Shape shape, Weights weights) {
        tensors.put(name, new Tensor(name, TensorKind.CONSTANT, shape, name, weights));
    }

    public boolean hasTensor(String name) {
        return tensors.containsKey(name);
    }

    public boolean isBroken(String name) {
        return broken.contains(name);
    }

    public Tensor tensor(String name) {
        return tensors.get(name);
    }

    public void warn(String message) {
        warnings.add(message);
    }

    public void problem(String message) {
        problems.add(new Problem(where, message));
    }

    public void problem(String location, String message) {
        problems.add(new Problem(location, message));
    }

    /** Records an op the plugin cannot handle; all of them are reported together by {@link #build}. */
    public void unsupported(String layerName, String type, List<String> outputs) {
        unsupported.computeIfAbsent(type, k -> new ArrayList<>()).add(layerName);
        markBroken(outputs);
    }

    /** Outputs of a layer that could not be built: later readers of them are skipped silently. */
    public void markBroken(List<String> outputs) {
        broken.addAll(outputs);
    }

    /**
     * Adds a layer, inferring its output shapes ({@code outputSourceNames} are the names the source
     * format uses, e.g. Caffe blob names). Returns false (and records why) if it could not be added.
     */
    public boolean addLayer(String name, Op op, String sourceType, List<String> inputNames, List<String> outputs,
            List<String> outputSourceNames, Map<String, String> weights, Attributes attributes) {
        if (!layerNames.add(name)) {
            problem("layer name '" + name + "' is used twice; calibration tables key layers by name, so "
                    + "names must be unique");
        }
        List<Shape> inShapes = new ArrayList<>();
        for (String in : inputNames) {
            if (broken.contains(in)) {
                markBroken(outputs);
                return false;
            }
            Tensor t = tensors.get(in);
            if (t == null || !t.isActivation()) {
                problem(describe(name, sourceType) + " reads '" + in + "', which no earlier layer or input produces"
                        + " (layers must come after the layers they read)");
                markBroken(outputs);
                return false;
            }
            inShapes.add(t.shape());
        }
        if (inShapes.isEmpty()) {
            problem(describe(name, sourceType) + " has no input");
            markBroken(outputs);
            return false;
        }
        Shape out;
        try {
            out = ShapeInference.infer(op, attributes, inShapes);
        } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
            problem(describe(name, sourceType) + ": " + e.getMessage());
            markBroken(outputs);
            return false;
        }
        for (int i = 0; i < outputs.size(); i++) {
            tensors.put(outputs.get(i), new Tensor(outputs.get(i), TensorKind.ACTIVATION, out,
                    outputSourceNames.get(i), null));
        }
        layers.add(new Layer(name, op, sourceType, inputNames, outputs, weights, attributes));
        return true;
    }

    public static String describe(String layerName, String sourceType) {
        return "layer '" + layerName + "' (" + sourceType + ")";
    }

    /** Fails with every collected problem, or returns the graph. */
    public Graph build(String graphName, Path source, boolean hasWeights, List<String> declaredOutputs)
            throws ProblemException {
        List<Problem> all = new ArrayList<>(problems);
        if (!unsupported.isEmpty()) {
            String list = unsupported.entrySet().stream()
                    .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
                    .collect(Collectors.joining("; "));
            all.add(0, new Problem(where, "unsupported operations: " + list + ". Supported: "
                    + (format == ModelFormat.CAFFE ? SUPPORTED_CAFFE : SUPPORTED_ONNX)
                    + ". Remove or replace these layers (e.g. fold them into neighbours) before calibrating"));
        }
        if (layers.isEmpty() && all.isEmpty()) {
            all.add(new Problem(where, "the model has no layers"));
        }
        if (!all.isEmpty()) {
            throw new ProblemException(all);
        }
        List<String> outputs = declaredOutputs;
        if (outputs == null || outputs.isEmpty()) {
            Set<String> read = new HashSet<>();
            layers.forEach(l -> read.addAll(l.inputs()));
            outputs = layers.stream().flatMap(l -> l.outputs().stream()).filter(o -> !read.contains(o)).toList();
        }
        return new Graph(graphName, format, source, hasWeights, tensors, layers, inputs, outputs, warnings);
    }
}
