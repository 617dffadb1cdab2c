package io.github.int8cal.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.ModelReader;
import io.github.int8cal.model.Shape;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The float32 executor against an independent implementation, ONNX Runtime (CPU provider, graph
 * optimizations off so every node runs as written), on networks built in code. Every intermediate
 * tensor is a graph output, so each op is compared, not only the end result.
 *
 * <p>Tolerance: both sides compute in float32 but sum in different orders (our GEMM accumulates
 * along the reduction in order per output; ORT uses MLAS blocked kernels). The reordering error
 * of a K-term float32 sum is at most about {@code K * 2^-24 * sum|terms|}; for the largest reduction
 * here (K = 16*3*3 = 144) and terms of the tensor's magnitude that is ~1e-5 relative, and it
 * grows a few-fold through the layers. We allow {@code 1e-4 * max|ref| + 1e-6} per tensor: ten
 * times the expected bound, while a wrong index, pad or divisor moves values by ~1e-1 relative.
 */
class Fp32ExecutorOnnxRuntimeTest {

    static final float RELATIVE_TOLERANCE = 1e-4f;

    /** conv+bn+relu, max pool, residual add, 1x1 conv, concat, avg pool, global pool, flatten, gemm, softmax. */
    static OnnxNet classifierWithResidual() {
        OnnxNet n = new OnnxNet(7).input("x", 1, 3, 20, 20);
        n.conv("conv1", "x", "c1", 3, 16, 3, 1, 1, 1, 1, true).batchNorm("bn1", "c1", "b1", 16)
                .node("Relu", "relu1", List.of("b1"), List.of("r1"))
                .node("MaxPool", "pool1", List.of("r1"), List.of("p1"), OnnxNet.ints("kernel_shape", 2, 2),
                        OnnxNet.ints("strides", 2, 2))
                .conv("conv2", "p1", "c2", 16, 16, 3, 1, 1, 1, 1, true).batchNorm("bn2", "c2", "b2", 16)
                .node("Add", "add", List.of("p1", "b2"), List.of("s"))
                .node("Relu", "relu2", List.of("s"), List.of("r2"))
                .conv("conv3", "r2", "c3", 16, 8, 1, 1, 0, 1, 1, false)
                .node("Concat", "cat", List.of("r2", "c3"), List.of("cat"), OnnxNet.i("axis", 1))
                .node("AveragePool", "avg", List.of("cat"), List.of("ap"), OnnxNet.ints("kernel_shape", 3, 3),
                        OnnxNet.ints("strides", 1, 1), OnnxNet.ints("pads", 1, 1, 1, 1))
                .node("GlobalAveragePool", "gap", List.of("ap"), List.of("gap"))
                .node("Flatten", "flat", List.of("gap"), List.of("fl"), OnnxNet.i("axis", 1))
                .gemm("fc", "fl", "logits", 24, 10)
                .node("Softmax", "softmax", List.of("logits"), List.of("prob"), OnnxNet.i("axis", 1));
        for (String t : List.of("c1", "b1", "r1", "p1", "c2", "b2", "s", "r2", "c3", "cat", "ap", "gap", "fl",
                "logits", "prob")) {
            n.output(t);
        }
        return n;
    }

    /**
     * Grouped strided conv, dilated conv, LeakyRelu, PRelu, Clip, element-wise Mul and Max, ceil-mode
     * max pool, padded average pool counting the padding, Sub/Div by constants, Identity, Reshape,
     * MatMul with a constant and Add of a constant bias.
     */
    static OnnxNet opCoverage() {
        OnnxNet n = new OnnxNet(11).input("x", 1, 4, 11, 13);
        n.conv("gconv", "x", "g1", 4, 8, 3, 2, 1, 1, 2, true)
                .conv("dconv", "g1", "d1", 8, 8, 3, 1, 2, 2, 1, true)
                .node("LeakyRelu", "leaky", List.of("d1"), List.of("lr"), OnnxNet.f("alpha", 0.1f))
                .floats("slope", new long[] {8, 1, 1}, n.uniform(8, 0.05, 0.3))
                .node("PRelu", "prelu", List.of("d1", "slope"), List.of("pr"))
                .floats("lo", new long[] {}, new float[] {0f}).floats("hi", new long[] {}, new float[] {6f})
                .node("Clip", "relu6", List.of("d1", "lo", "hi"), List.of("cl"))
                .node("Mul", "mul", List.of("cl", "lr"), List.of("mul"))
                .node("Max", "max", List.of("mul", "pr"), List.of("mx"))
                .node("MaxPool", "mpool", List.of("mx"), List.of("mp"), OnnxNet.ints("kernel_shape", 3, 3),
                        OnnxNet.ints("strides", 2, 2), OnnxNet.i("ceil_mode", 1))
                .node("AveragePool", "apool", List.of("mp"), List.of("ap"), OnnxNet.ints("kernel_shape", 2, 2),
                        OnnxNet.ints("strides", 2, 2), OnnxNet.ints("pads", 1, 1, 1, 1),
                        OnnxNet.i("count_include_pad", 1))
                .floats("shift", new long[] {1, 8, 1, 1}, n.uniform(8, -0.5, 0.5))
                .node("Sub", "sub", List.of("ap", "shift"), List.of("sb"))
                .floats("div", new long[] {}, new float[] {2.5f})
                .node("Div", "divide", List.of("sb", "div"), List.of("dv"))
                .node("Identity", "id", List.of("dv"), List.of("idn"))
                .int64s("newshape", 1, -1)
                .node("Reshape", "reshape", List.of("idn", "newshape"), List.of("rs"))
                .floats("mm.w", new long[] {32, 5}, n.gaussian(160, 0.2))
                .node("MatMul", "matmul", List.of("rs", "mm.w"), List.of("mm"))
                .floats("mm.b", new long[] {5}, n.uniform(5, -1, 1))
                .node("Add", "bias", List.of("mm", "mm.b"), List.of("y"));
        for (String t : List.of("g1", "d1", "lr", "pr", "cl", "mul", "mx", "mp", "ap", "sb", "dv", "idn", "rs",
                "mm", "y")) {
            n.output(t);
        }
        return n;
    }

    @Test
    void everyTensorOfAResidualClassifierMatchesOnnxRuntime(@TempDir Path dir) throws Exception {
        compare(classifierWithResidual(), dir, "classifier.onnx", new long[] {1, 3, 20, 20}, 2);
    }

    @Test
    void groupedDilatedPoolingAndArithmeticOpsMatchOnnxRuntime(@TempDir Path dir) throws Exception {
        compare(opCoverage(), dir, "ops.onnx", new long[] {1, 4, 11, 13}, 1);
    }

    static void compare(OnnxNet net, Path dir, String file, long[] inputShape, int threads) throws Exception {
        Path model = net.write(dir, file);
        Graph graph = ModelReader.read(model, null);
        float[] x = new float[(int) Shape.of(inputShape).elementCount()];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 4 - 2);
        }
        Map<String, FloatTensor> ours;
        try (Fp32Executor e = new Fp32Executor(graph, threads)) {
            ours = e.runAll(Map.of("x", new FloatTensor(Shape.of(inputShape), x)));
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(net.build().toByteArray(), options);
                    OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), inputShape);
                    OrtSession.Result result = session.run(Map.of("x", input))) {
                for (String name : net.outputs()) {
                    OnnxValue v = result.get(name).orElseThrow();
                    OnnxTensor t = (OnnxTensor) v;
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] ref = new float[fb.remaining()];
                    fb.get(ref);
                    FloatTensor mine = ours.get(name);
                    assertArrayEquals(t.getInfo().getShape(), mine.shape().dims().stream().mapToLong(Long::longValue)
                            .toArray(), name + " shape");
                    float maxRef = 0;
                    for (float f : ref) {
                        maxRef = Math.max(maxRef, Math.abs(f));
                    }
                    assertTrue(maxRef > 0, name + " is all zeros: the comparison would be empty");
                    float tolerance = RELATIVE_TOLERANCE * maxRef + 1e-6f;
                    float worst = 0;
                    int worstAt = -1;
                    for (int i = 0; i < ref.length; i++) {
                        float d = Math.abs(ref[i] - mine.data()[i]);
                        if (d > worst) {
                            worst = d;
                            worstAt = i;
                        }
                    }
                    final int at = worstAt;
                    final float w = worst;
                    assertTrue(worst <= tolerance, () -> name + ": max |ours - ORT| = " + w + " at " + at + " (ours "
                            + mine.data()[at] + ", ORT " + ref[at] + "), tolerance " + tolerance);
                }
                assertEquals(net.outputs().size(), result.size());
            }
        }
    }
}
