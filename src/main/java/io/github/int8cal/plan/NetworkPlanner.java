package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.Layer;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.model.NvdlaTableKeys;
import io.github.int8cal.model.Op;
import io.github.int8cal.model.TableKey;
import io.github.int8cal.model.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans a whole graph for NVDLA in the fast-math profile of nvdla_compiler
 * (docs/nvdla-compiler.md#layer-folding to #register-programming; docs/residual-networks.md): every conv/FC absorbs the
 * BatchNorm / Scale / Bias / ReLU chain that only it feeds; element-wise sums either equalize their input scales as the
 * compiler does (compiler mode: the input created first takes the other's scale, for every reader)
 * or keep each input's calibrated scale and convert in the SDP (precise mode); with per-filter
 * weights a sum fuses into the conv chain the compiler visits later (X1 conv requant, X2 adds the
 * other branch, output converter); pooling runs on PDP without rescaling; softmax runs on the CPU.
 *
 * <p>Three passes: group graph layers into hardware layers; work out the scale each tensor runs
 * at (table scale, the compiler's equalization overwrites, and in precise mode the input's scale
 * through ops that never rescale); then plan each hardware layer with {@link ConvRequantizer} /
 * {@link EltwiseRequantizer}. {@link CompilerGraphOrder} supplies the compiler's edge and node
 * orders.
 */
public final class NetworkPlanner {

    /** Relative difference below which two float32 scales count as equal for the propagation checks. */
    static final double SCALE_TOLERANCE = 1e-6;

    private NetworkPlanner() {
    }

    /**
     * @param graph   the model (Caffe with its caffemodel, or ONNX)
     * @param scales  tensor name -> float32 scale (amax/127), as the calibration produced them
     * @param options mode, weight scope, input format (none: the model format's), hardware
     */
    public static NetworkPlan plan(Graph graph, Map<String, Float> scales, PlanOptions options) {
        PlanOptions resolved = options.forModel(graph.format());
        if (!graph.hasWeights()) {
            return NetworkPlan.skipped(graph.name(), resolved, "register planning skipped: " + graph.source()
                    + " was read without weights (give the .caffemodel next to the .prototxt to plan registers)");
        }
        return new Run(graph, scales, resolved).run();
    }

    /** A group of graph layers that becomes one hardware layer. */
    private static final class Unit {
        final Layer head;
        final HardwareOp op;
        final List<Layer> chain = new ArrayList<>();
        Layer batchNorm;
        Layer scale;
        Layer bias;
        boolean relu;
        Layer eltwise;          // fused sum (per-filter super op) or the sum of a stand-alone SDP unit
        boolean eltwiseRelu;
        String output;

        Unit(Layer head, HardwareOp op) {
            this.head = head;
            this.op = op;
            chain.add(head);
            output = head.output();
        }
    }

    private static final class Run {
        private final Graph graph;
        private final Map<String, Float> table;
        private final PlanOptions options;
        private final List<Diagnostic> network = new ArrayList<>();
        private final List<Unit> units = new ArrayList<>();
        private final Map<String, Unit> unitByOutput = new HashMap<>();
        private final Set<String> absorbed = new HashSet<>();
        private final Map<String, Float> overrides = new HashMap<>();
        private final Map<String, Float> run = new LinkedHashMap<>();
        private final List<ScaleOverwrite> overwrites = new ArrayList<>();
        private final CompilerGraphOrder order;

        Run(Graph graph, Map<String, Float> table, PlanOptions options) {
            this.graph = graph;
            this.table = table;
            this.options = options;
            this.order = CompilerGraphOrder.of(graph);
        }

        NetworkPlan run() {
            checkTableEntries();
            group();
            equalize();
            propagate();
            List<HardwareLayerPlan> plans = new ArrayList<>();
            for (Unit u : units) {
                plans.addAll(planUnit(u));
            }
            List<InputRecipe> recipes = inputRecipes();
            Map<String, Float> calibrated = new LinkedHashMap<>();
            for (String t : run.keySet()) {
                Float c = tableScale(t);
                if (c != null) {
                    calibrated.put(t, c);
                }
            }
            return new NetworkPlan(graph.name(), options, plans, run, network, recipes, Optional.empty(), calibrated,
                    overwrites);
        }

        // ---- pass 0: table entries ---------------------------------------------------------

        /**
         * nvdla_compiler aborts on any missing key (docs/nvdla-compiler.md#known-limits-the-plugin-reports);
         * list every one, naming the key.
         */
        private void checkTableEntries() {
            for (TableKey key : NvdlaTableKeys.of(graph)) {
                Float s = table.get(key.tensor());
                if (s == null) {
                    network.add(new Diagnostic(key.layer() == null ? key.key() : key.layer(),
                            DiagnosticCode.MISSING_TABLE_ENTRY, Severity.WARNING, String.format(Locale.ROOT,
                                    "no scale for tensor '%s' (table key '%s'): nvdla_compiler would abort reading"
                                            + " the table; calibrate this tensor or add the entry", key.tensor(),
                                    key.key())));
                }
            }
        }

        // ---- pass 1: hardware layers -------------------------------------------------------

        private void group() {
            for (Layer l : graph.layers()) {
                if (absorbed.contains(l.name())) {
                    continue;
                }
                switch (l.op()) {
                    case CONVOLUTION, INNER_PRODUCT -> {
                        if (l.attributes().getLong("group", 1) != 1) {
                            notPlanned(l, "grouped convolution (nvdla_compiler expands it to a dense conv with zero"
                                    + " blocks; not planned here)");
                            continue;
                        }
                        Unit u = add(new Unit(l, HardwareOp.CONV_SDP));
                        collectChain(u);
                    }
                    case ELTWISE -> eltwise(l);
                    case POOLING -> add(new Unit(l, HardwareOp.PDP));
                    case SOFTMAX -> add(new Unit(l, HardwareOp.CPU));
                    case RELU -> {
                        if (l.attributes().getDouble("negative_slope", 0) != 0) {
                            notPlanned(l, "leaky ReLU");
                        } else {
                            Unit u = add(new Unit(l, HardwareOp.SDP));
                            u.relu = true;
                        }
                    }
                    case DROPOUT, FLATTEN, RESHAPE, CONCAT -> {
                        // memory aliasing only: no hardware op, no rescale (checked in propagate())
                    }
                    default -> notPlanned(l, "stand-alone " + l.sourceType() + " (only conv/FC chains, element-wise"
                            + " sums, pooling, ReLU and softmax are planned)");
                }
            }
        }

        private Unit add(Unit u) {
            units.add(u);
            unitByOutput.put(u.output, u);
            return u;
        }

        private void notPlanned(Layer l, String what) {
            network.add(new Diagnostic(l.name(), DiagnosticCode.NOT_PLANNED, Severity.WARNING,
                    what + ": no registers are emitted for this layer"));
        }

        /** conv/FC -> [BatchNorm] -> [Scale | Bias] -> [ReLU], each the only reader of the previous tensor. */
        private void collectChain(Unit u) {
            while (true) {
                List<Layer> readers = graph.consumers(u.output);
                if (readers.size() != 1 || readers.get(0).inputs().size() != 1) {
                    return;
                }
                Layer next = readers.get(0);
                boolean take = switch (next.op()) {
                    case BATCH_NORM -> u.batchNorm == null && u.scale == null && u.bias == null && !u.relu;
                    case SCALE -> u.scale == null && u.bias == null && !u.relu;
                    case BIAS -> u.scale == null && u.bias == null && !u.relu;
                    case RELU -> !u.relu && next.attributes().getDouble("negative_slope", 0) == 0;
                    default -> false;
                };
                if (!take) {
                    return;
                }
                switch (next.op()) {
                    case BATCH_NORM -> u.batchNorm = next;
                    case SCALE -> u.scale = next;
                    case BIAS -> u.bias = next;
                    default -> u.relu = true;
                }
                u.chain.add(next);
                absorbed.add(next.name());
                unitByOutput.remove(u.output);
                u.output = next.output();
                unitByOutput.put(u.output, u);
            }
        }

        /**
         * A two-input SUM. With per-filter weights nvdla_compiler fuses it into the SDP op of the source
         * its traversal visits later (the other input must already be in memory;
         * {@code SDPNode::isFeasibleToFuseSDPEltwiseOp}), when that source is a conv chain whose only
         * reader is the sum (docs/residual-networks.md#per-filter-super-ops); never into the earlier one,
         * never when an input is a network input (the sum then has one source node). Otherwise it is a
         * stand-alone SDP op.
         */
        private void eltwise(Layer l) {
            String operation = l.attributes().getString("operation", "SUM");
            List<Double> coefficients = l.attributes().getDoubles("coefficients");
            boolean plainSum = operation.equals("SUM") && l.inputs().size() == 2
                    && coefficients.stream().allMatch(c -> c == 1.0);
            if (!plainSum) {
                notPlanned(l, "element-wise " + operation + " with " + l.inputs().size() + " inputs"
                        + (coefficients.isEmpty() ? "" : " and coefficients " + coefficients));
                return;
            }
            Unit fused = options.scope() == WeightScope.PER_FILTER ? fusionTarget(l) : null;
            Unit target = fused != null ? fused : add(new Unit(l, HardwareOp.SDP));
            target.eltwise = l;
            absorbed.add(l.name());
            if (fused != null) {
                target.chain.add(l);
                unitByOutput.remove(target.output);
            }
            target.output = l.output();
            List<Layer> readers = graph.consumers(l.output());
            if (readers.size() == 1 && readers.get(0).op() == Op.RELU
                    && readers.get(0).attributes().getDouble("negative_slope", 0) == 0) {
                target.eltwiseRelu = true;
                target.chain.add(readers.get(0));
                absorbed.add(readers.get(0).name());
                target.output = readers.get(0).output();
            }
            unitByOutput.put(target.output, target);
        }

        private Unit fusionTarget(Layer sum) {
            Optional<Layer> p0 = order.producer(sum.inputs().get(0));
            Optional<Layer> p1 = order.producer(sum.inputs().get(1));
            if (p0.isEmpty() || p1.isEmpty() || p0.get() == p1.get()) {
                return null;
            }
            boolean firstLater = order.visitIndex(p0.get().name()) > order.visitIndex(p1.get().name());
            String in = sum.inputs().get(firstLater ? 0 : 1);
            Unit u = unitByOutput.get(in);
            if (u == null || u.op != HardwareOp.CONV_SDP || u.eltwise != null || graph.consumers(in).size() != 1) {
                return null;
            }
            return u;
        }

        // ---- pass 2: run scales ------------------------------------------------------------

        /** The table scale of a tensor, looking through aliases Caffe parsers drop (Flatten, Dropout). */
        private Float tableScale(String tensor) {
            String t = tensor;
            while (true) {
                Float s = table.get(t);
                if (s != null) {
                    return s;
                }
                Optional<Layer> p = graph.producer(t);
                if (p.isEmpty() || !p.get().op().isDroppedByCaffeParsers()) {
                    return null;
                }
                t = p.get().input0();
            }
        }

        /**
         * nvdla_compiler's element-wise equalization ({@code EngineGraph::updateScalingFactors}), compiler
         * mode only: every element-wise op with two inputs, in the compiler's traversal order, sees its
         * inputs in edge order (the tensor created first is input 0) with their current scales (earlier
         * overwrites included, so one overwrite feeds the next); the overwritten tensor then runs at the
         * common scale for every reader, and its producer requantizes to it (if it ever rescales).
         * Precise mode keeps every input's calibrated scale and converts in the SDP instead.
         */
        private void equalize() {
            if (options.mode() != RequantMode.COMPILER) {
                return;
            }
            for (Layer l : order.visitOrder()) {
                if (l.op() != Op.ELTWISE) {
                    continue;
                }
                List<String> edges = order.upstreamEdges(l);
                if (edges.size() != 2) {
                    continue; // the compiler refuses it ("input edges != 2"); reported as not planned
                }
                String t0 = edges.get(0);
                String t1 = edges.get(1);
                Float s0 = current(t0);
                Float s1 = current(t1);
                if (s0 == null || s1 == null) {
                    continue; // reported as a missing entry; planUnit() rejects the layer
                }
                EltwiseEqualization eq = EltwiseRequantizer.equalize(l.name(), input(t0, s0), input(t1, s1));
                network.addAll(eq.diagnostics());
                if (eq.rejected() || eq.overwrittenInput() < 0) {
                    continue;
                }
                String lost = eq.overwritten().tensor();
                overrides.put(lost, eq.commonScale());
                boolean rescales = producerRescales(lost);
                overwrites.add(new ScaleOverwrite(lost, order.producer(lost).map(Layer::name).orElse(null),
                        l.name(), eq.kept().tensor(), eq.overwritten().scale(), eq.commonScale(), rescales));
                if (!rescales) {
                    String producer = order.producer(lost).map(p -> p.sourceType() + " '" + p.name() + "'")
                            .orElse("the network input");
                    network.add(new Diagnostic(l.name(), DiagnosticCode.ELTWISE_SCALE_OVERWRITTEN, Severity.WARNING,
                            String.format(Locale.ROOT, "'%s' is written by %s, which never rescales: its values stay"
                                    + " at the scale they had, but every reader now reads them at %s (%s) instead"
                                    + " of %s, so they are misread by a factor %.4g", lost, producer,
                                    g(eq.commonScale()), "the scale of '" + eq.kept().tensor() + "'",
                                    g(eq.overwritten().scale()), eq.overwritten().scale() / eq.commonScale())));
                }
            }
        }

        private EltwiseInput input(String tensor, float scale) {
            String producer = order.producer(tensor).map(Layer::name).orElse(tensor);
            return new EltwiseInput(tensor, producer, scale, order.siblingEdges(tensor));
        }

        /** True when the tensor's producer is an op that requantizes to its output scale. */
        private boolean producerRescales(String tensor) {
            Unit u = unitByOutput.get(tensor);
            if (u == null) {
                return false;
            }
            return switch (u.op) {
                case CONV_SDP, CPU -> true;
                case SDP -> u.eltwise != null;
                case PDP -> false;
            };
        }

        private Float current(String tensor) {
            Float o = overrides.get(tensor);
            return o != null ? o : tableScale(tensor);
        }

        /**
         * The scale each activation runs at. Requantizing layers write at their (possibly
         * overwritten) scale. Layers that never rescale keep their input's values: nvdla_compiler
         * still lets readers use the layer's own table scale (a silent error we reproduce and
         * report); precise mode carries the input's scale through instead.
         */
        private void propagate() {
            for (String in : graph.inputs()) {
                putRun(in, current(in));
            }
            for (Layer l : graph.layers()) {
                boolean noRescale = switch (l.op()) {
                    case POOLING, DROPOUT, FLATTEN, RESHAPE, CONCAT -> true;
                    case RELU -> !absorbed.contains(l.name()) && unitByOutput.containsKey(l.output());
                    default -> false;
                };
                for (String out : l.outputs()) {
                    Float own = current(out);
                    if (!noRescale) {
                        putRun(out, own);
                        continue;
                    }
                    Float carried = null;
                    for (String in : l.inputs()) {
                        Float s = run.get(in);
                        if (s != null && (carried == null || s > carried)) {
                            carried = s;
                        }
                    }
                    if (l.op().isDroppedByCaffeParsers() && graph.format() == ModelFormat.CAFFE || own == null) {
                        putRun(out, carried);
                        continue;
                    }
                    boolean differs = false;
                    for (String in : l.inputs()) {
                        Float s = run.get(in);
                        differs |= s != null && !same(s, own);
                    }
                    if (differs) {
                        boolean compiler = options.mode() == RequantMode.COMPILER;
                        network.add(new Diagnostic(l.name(), DiagnosticCode.SCALE_NOT_PROPAGATED,
                                compiler ? Severity.WARNING : Severity.INFO, String.format(Locale.ROOT,
                                        "%s never rescales, but its table scale %s differs from its input%s %s: %s",
                                        l.sourceType(), g(own), l.inputs().size() > 1 ? "s'" : "'s",
                                        l.inputs().stream().map(i -> run.get(i) == null ? "?" : g(run.get(i))).toList(),
                                        compiler ? "nvdla_compiler lets its readers use the table scale, so they"
                                                + " read its values at the wrong scale (unify the scales in the table)"
                                                : "precise mode carries the input's scale " + g(carried)
                                                        + " through to its readers")));
                    }
                    putRun(out, options.mode() == RequantMode.COMPILER ? own : carried);
                }
            }
        }

        private void putRun(String tensor, Float scale) {
            if (scale != null) {
                run.put(tensor, scale);
            }
        }

        // ---- pass 3: plan ------------------------------------------------------------------

        private List<HardwareLayerPlan> planUnit(Unit u) {
            return switch (u.op) {
                case CONV_SDP -> planConv(u);
                case SDP -> List.of(u.eltwise != null ? planEltwise(u, u.eltwise, u.eltwiseRelu, u.head.name(), List.of())
                        : planRelu(u));
                case PDP -> List.of(planPassThrough(u, List.of()));
                case CPU -> List.of(planSoftmax(u));
            };
        }

        private List<HardwareLayerPlan> planConv(Unit u) {
            Layer conv = u.head;
            String convEnd = u.eltwise == null ? u.output : chainEndBeforeEltwise(u);
            Float si = run.get(conv.input0());
            Float so = run.get(convEnd);
            List<String> missing = new ArrayList<>();
            if (si == null) {
                missing.add(conv.input0());
            }
            if (so == null) {
                missing.add(convEnd);
            }
            if (!missing.isEmpty()) {
                return List.of(unplannable(u, "no scale for " + missing));
            }
            ConvLayerInput input;
            try {
                input = convInput(u, si, so);
            } catch (IllegalArgumentException e) {
                return List.of(unplannable(u, e.getMessage()));
            }
            List<Diagnostic> diagnostics = new ArrayList<>();
            imageRowBug(input, conv).ifPresent(diagnostics::add);
            if (u.eltwise != null) {
                Optional<HardwareLayerPlan> fused = planFused(u, input, convEnd, diagnostics);
                if (fused.isPresent()) {
                    return List.of(fused.get());
                }
                // not fusable in this mode (e.g. precise used the output converter): two hardware layers
                LayerRequant convAlone = ConvRequantizer.plan(input, options);
                List<Layer> convChain = u.chain.subList(0, u.chain.indexOf(u.eltwise));
                List<Layer> sumChain = u.chain.subList(u.chain.indexOf(u.eltwise), u.chain.size());
                diagnostics.addAll(convAlone.diagnostics());
                HardwareLayerPlan first = new HardwareLayerPlan(conv.name(), HardwareOp.CONV_SDP, names(convChain),
                        List.of(conv.input0()), convEnd, List.of(si), so, input.outputChannels(), convAlone, null,
                        convAlone.rejected() ? null : convAlone.program(), diagnostics);
                return List.of(first, planEltwise(u, u.eltwise, u.eltwiseRelu, u.eltwise.name(), names(sumChain)));
            }
            LayerRequant r = ConvRequantizer.plan(input, options);
            diagnostics.addAll(r.diagnostics());
            return List.of(new HardwareLayerPlan(conv.name(), HardwareOp.CONV_SDP, names(u.chain),
                    List.of(conv.input0()), u.output, List.of(si), so, input.outputChannels(), r, null,
                    r.rejected() ? null : r.program(), diagnostics));
        }

        /**
         * The per-filter super op: conv requant in X1 (identity output converter, X2 free), the sum in
         * X2 and the output converter. Compiler: X1 requantizes to the conv tensor's (equalized) scale,
         * X2 adds the other branch as it is, the converter applies {@code Si/So} with {@code Si} the
         * scale of the sum's input 0. Precise: X1 requantizes onto a grid 2^-s finer than the other
         * branch's own scale, X2 adds that branch shifted by s, the converter applies grid/So.
         */
        private Optional<HardwareLayerPlan> planFused(Unit u, ConvLayerInput input, String convEnd,
                List<Diagnostic> diagnostics) {
            Layer conv = u.head;
            Layer sum = u.eltwise;
            String other = sum.inputs().get(0).equals(convEnd) ? sum.inputs().get(1) : sum.inputs().get(0);
            Float eso = run.get(u.output);
            Float sb = run.get(other);
            if (eso == null || sb == null) {
                return Optional.of(unplannable(u, "no scale for " + (eso == null ? u.output : other)));
            }
            LayerRequant convPlan;
            LayerRequant sumPlan;
            if (options.mode() == RequantMode.COMPILER) {
                convPlan = ConvRequantizer.plan(input, options, false);
                if (!fusable(convPlan)) {
                    return Optional.empty();
                }
                Float sumSi = run.get(order.upstreamEdges(sum).get(0));
                sumPlan = EltwiseRequantizer.plan(sum.name(), sumSi, eso, u.eltwiseRelu, RequantMode.COMPILER);
                unequalInputs(sum, convEnd, input.outputScale(), other, sb).ifPresent(diagnostics::add);
                if (order.resolve(conv.input0()).equals(order.resolve(other))) {
                    // SDPNode::fuseSDPSubEngineOp adds a compute edge from the other input's producer to the
                    // conv; when the conv already reads that producer's output, the duplicate edge makes
                    // Graph::topologicalSort visit the conv twice and fail (seen with the real compiler)
                    diagnostics.add(new Diagnostic(sum.name(), DiagnosticCode.ELTWISE_UNSUPPORTED, Severity.ERROR,
                            "nvdla_compiler cannot compile this network with per-filter weights: it fuses '"
                                    + sum.name() + "' into the SDP op of '" + conv.name() + "', which reads the sum's"
                                    + " other input '" + other + "' itself, and its dependency pass then fails ('Can't"
                                    + " resolve a non-acyclic graph'). Use per-kernel weights or precise mode; the"
                                    + " registers here are what the fused op would be"));
                }
            } else {
                LayerRequant probe = ConvRequantizer.plan(withOutputScale(input, sb), options, false);
                double largest = 0;
                for (double f : probe.idealFactors()) {
                    if (Double.isFinite(f)) {
                        largest = Math.max(largest, Math.abs(f));
                    }
                }
                if (probe.rejected() || largest == 0) {
                    return Optional.empty();
                }
                int shift = EltwiseRequantizer.operandShift(largest, sb, eso);
                float grid = Math.scalb(sb, -shift);
                convPlan = ConvRequantizer.plan(withOutputScale(input, grid), options, false);
                if (!fusable(convPlan)) {
                    return Optional.empty();
                }
                sumPlan = EltwiseRequantizer.planFusedConverting(sum.name(), grid, shift, sb, eso, u.eltwiseRelu);
            }
            diagnostics.addAll(convPlan.diagnostics());
            diagnostics.addAll(sumPlan.diagnostics());
            SdpProgram fused = sumPlan.program() == null || convPlan.rejected() || sumPlan.rejected() ? null
                    : EltwiseRequantizer.fuseIntoConv(convPlan, sumPlan);
            return Optional.of(new HardwareLayerPlan(conv.name(), HardwareOp.CONV_SDP, names(u.chain),
                    List.of(conv.input0(), other), u.output, List.of(input.inputScale(), sb), eso,
                    input.outputChannels(), convPlan, sumPlan, fused, diagnostics));
        }

        private static boolean fusable(LayerRequant conv) {
            SdpProgram c = conv.program();
            return c != null && c.outCvt().isIdentity() && c.x2() == null;
        }

        private static ConvLayerInput withOutputScale(ConvLayerInput in, float so) {
            return new ConvLayerInput(in.name(), in.weights(), in.inputChannels(), in.bias(), in.batchNorm(),
                    in.scale(), in.relu(), in.inputScale(), so, in.imageInput());
        }

        /**
         * Compiler mode adds the two int8 inputs as they are; after equalization they normally share
         * one scale, but a later sum can overwrite one of them again, and then the sum is wrong.
         */
        private Optional<Diagnostic> unequalInputs(Layer sum, String a, float sa, String b, float sb) {
            if (sa == sb) {
                return Optional.empty();
            }
            return Optional.of(new Diagnostic(sum.name(), DiagnosticCode.ELTWISE_SCALE_OVERWRITTEN, Severity.WARNING,
                    String.format(Locale.ROOT, "its inputs '%s' and '%s' run at different scales %s and %s (a later"
                            + " element-wise op overwrote one of them again): nvdla_compiler adds their int8 values"
                            + " as they are, so the sum is wrong; precise mode converts each input", a, b, g(sa),
                            g(sb))));
        }

        private String chainEndBeforeEltwise(Unit u) {
            int i = u.chain.indexOf(u.eltwise);
            return u.chain.get(i - 1).output();
        }

        /**
         * Stand-alone element-wise sum (SDP reading the first input from memory, the second as a
         * per-element operand). Compiler: both as they are, output converter {@code Si/So} with
         * {@code Si} the scale of input 0 in the compiler's edge order. Precise: equal scales as the
         * compiler; different scales are converted ({@link EltwiseRequantizer#planConverting}).
         */
        private HardwareLayerPlan planEltwise(Unit u, Layer sum, boolean relu, String name, List<String> layers) {
            String in0 = sum.inputs().get(0);
            String in1 = sum.inputs().get(1);
            Float s0 = run.get(in0);
            Float s1 = run.get(in1);
            Float so = run.get(u.output);
            if (s0 == null || s1 == null || so == null) {
                return unplannable(u, "no scale for an input or the output of " + sum.name());
            }
            List<Diagnostic> diagnostics = new ArrayList<>();
            LayerRequant r;
            List<String> inputs = List.of(in0, in1);
            List<Float> scales = List.of(s0, s1);
            if (options.mode() == RequantMode.COMPILER) {
                unequalInputs(sum, in0, s0, in1, s1).ifPresent(diagnostics::add);
                Float si = run.get(order.upstreamEdges(sum).get(0));
                r = EltwiseRequantizer.plan(sum.name(), si, so, relu, RequantMode.COMPILER);
            } else if (s0.floatValue() == s1.floatValue()) {
                r = EltwiseRequantizer.plan(sum.name(), s0, so, relu, RequantMode.PRECISE);
            } else {
                // the main input is multiplied onto the operand's grid; keep that factor encodable
                boolean swap = (double) s0 / s1 >= EltwiseRequantizer.MAX_GRID_FACTOR;
                if (swap) {
                    inputs = List.of(in1, in0);
                    scales = List.of(s1, s0);
                }
                r = EltwiseRequantizer.planConverting(sum.name(), scales.get(0), scales.get(1), so, relu);
            }
            diagnostics.addAll(r.diagnostics());
            int channels = channels(u.output);
            return new HardwareLayerPlan(name, HardwareOp.SDP, layers.isEmpty() ? names(u.chain) : layers,
                    inputs, u.output, scales, so, channels, r, null,
                    r.rejected() || diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR) ? null
                            : r.program(), diagnostics);
        }

        /** Stand-alone ReLU: an SDP op with an identity converter (X1 ALU adds 0, ReLU). */
        private HardwareLayerPlan planRelu(Unit u) {
            XUnitProgram x1 = new XUnitProgram(XOpType.ADD, OperandSource.REGISTER, new int[] {0}, 0, new int[0], 0,
                    true);
            HardwareLayerPlan p = planPassThrough(u, List.of());
            return new HardwareLayerPlan(p.name(), p.op(), p.graphLayers(), p.inputTensors(), p.outputTensor(),
                    p.inputScales(), p.outputScale(), p.outputChannels(), null, null,
                    new SdpProgram(null, x1, null, CvtProgram.IDENTITY), p.diagnostics());
        }

        private HardwareLayerPlan planPassThrough(Unit u, List<Diagnostic> diagnostics) {
            Layer l = u.head;
            List<Float> in = l.inputs().stream().map(t -> run.getOrDefault(t, Float.NaN)).toList();
            return new HardwareLayerPlan(l.name(), u.op, names(u.chain), l.inputs(), u.output, in,
                    run.getOrDefault(u.output, Float.NaN), channels(u.output), null, null, null, diagnostics);
        }

        /**
         * Softmax on the CPU: dequantize with the input scale, requantize with the output scale,
         * truncating toward zero; an output scale below 1/127 saturates probabilities
         * (docs/nvdla-compiler.md#cpu-softmax).
         */
        private HardwareLayerPlan planSoftmax(Unit u) {
            List<Diagnostic> diagnostics = new ArrayList<>();
            Float so = run.get(u.output);
            if (so != null && so * 127.0 < 1.0) {
                diagnostics.add(new Diagnostic(u.head.name(), DiagnosticCode.SOFTMAX_SATURATES, Severity.WARNING,
                        String.format(Locale.ROOT, "output scale %s covers probabilities up to %.4g only: larger"
                                + " ones saturate at 127. Use amax = 1 (scale 1/127) for softmax outputs", g(so),
                                so * 127.0)));
            }
            return planPassThrough(u, diagnostics);
        }

        private HardwareLayerPlan unplannable(Unit u, String why) {
            Diagnostic d = new Diagnostic(u.head.name(), DiagnosticCode.INVALID_SCALE, Severity.ERROR,
                    why + "; the layer cannot be requantized (check the calibration table)");
            return new HardwareLayerPlan(u.head.name(), u.op, names(u.chain), u.head.inputs(), u.output,
                    List.of(), Float.NaN, channels(u.output), null, null, null, List.of(d));
        }

        // ---- conv inputs -------------------------------------------------------------------

        private ConvLayerInput convInput(Unit u, float si, float so) {
            Layer conv = u.head;
            Tensor w = graph.tensor(conv.weights().get("weight"));
            int k = (int) w.shape().dim(0);
            int perFilter = (int) (w.shape().elementCount() / k);
            int c = (int) w.shape().dim(1);
            float[] all = values(w, conv.name() + " weights");
            float[][] filters = new float[k][];
            for (int i = 0; i < k; i++) {
                filters[i] = Arrays.copyOfRange(all, i * perFilter, (i + 1) * perFilter);
            }
            float[] bias = conv.weights().containsKey("bias") ? values(graph.tensor(conv.weights().get("bias")),
                    conv.name() + " bias") : null;
            BatchNormParams bn = null;
            ScaleParams scale = null;
            if (u.batchNorm != null) {
                Layer b = u.batchNorm;
                bn = new BatchNormParams(perChannel(b, "mean", k), perChannel(b, "variance", k),
                        (float) b.attributes().getDouble("epsilon", BatchNormParams.CAFFE_DEFAULT_EPS));
                if (b.weights().containsKey("scale")) { // ONNX BatchNormalization carries gamma and beta
                    scale = new ScaleParams(perChannel(b, "scale", k),
                            b.weights().containsKey("bias") ? perChannel(b, "bias", k) : null);
                }
            }
            if (u.scale != null) {
                scale = new ScaleParams(perChannel(u.scale, "scale", k),
                        u.scale.weights().containsKey("bias") ? perChannel(u.scale, "bias", k) : null);
            }
            if (u.bias != null) {
                float[] ones = new float[k];
                Arrays.fill(ones, 1f);
                scale = new ScaleParams(ones, perChannel(u.bias, "bias", k));
            }
            boolean image = options.inputFormat() == InputFormat.IMAGE && readsNetworkInput(conv);
            return new ConvLayerInput(conv.name(), filters, c, bias, bn, scale, u.relu, si, so, image);
        }

        /**
         * nvdla_compiler's image-input weight bug (docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler;
         * docs/residual-networks.md): when it channel-post-extends an image conv's weights, it fills kernel row groups
         * of {@code atomicC / C'} rows instead of the post-extension factor, so some rows are skipped and
         * others repeated in the weight stream it writes.
         */
        private Optional<Diagnostic> imageRowBug(ConvLayerInput input, Layer conv) {
            if (!input.imageInput() || conv.op() != Op.CONVOLUTION) {
                return Optional.empty();
            }
            List<Long> kernel = conv.attributes().getLongs("kernel");
            List<Long> stride = conv.attributes().getLongs("stride");
            int[] rows = ImageWeightRows.storedRows(options.hardware().atomicC(), input.inputChannels(),
                    kernel.get(0).intValue(), kernel.get(1).intValue(), stride.get(1).intValue());
            if (rows == null) {
                return Optional.empty();
            }
            return Optional.of(new Diagnostic(conv.name(), DiagnosticCode.COMPILER_WEIGHT_BUG, Severity.WARNING,
                    String.format(Locale.ROOT, "on %s with an image input, nvdla_compiler channel-post-extends this"
                            + " conv's weights by %d but groups kernel rows by atomicC / C' = %d / %d = %d, so the"
                            + " weight stream it writes holds kernel rows %s instead of 0..%d: the hardware runs a"
                            + " different kernel. Use inputFormat feature (nvdla_compiler --informat nchw) or a"
                            + " configuration with a smaller atomicC (nv_small); the INT8 verification here runs the"
                            + " intended kernel", options.hardware().name(),
                            ImageWeightRows.postExtension(options.hardware().atomicC(), input.inputChannels(),
                                    kernel.get(1).intValue(), stride.get(1).intValue()),
                            options.hardware().atomicC(), ImageWeightRows.extendedChannels(input.inputChannels(),
                                    kernel.get(1).intValue()),
                            options.hardware().atomicC() / ImageWeightRows.extendedChannels(input.inputChannels(),
                                    kernel.get(1).intValue()),
                            java.util.Arrays.toString(rows), kernel.get(0) - 1)));
        }

        private boolean readsNetworkInput(Layer conv) {
            String t = conv.input0();
            while (true) {
                if (graph.inputs().contains(t)) {
                    return true;
                }
                Optional<Layer> p = graph.producer(t);
                if (p.isEmpty() || !p.get().op().preservesValues()) {
                    return false;
                }
                t = p.get().input0();
            }
        }

        private float[] perChannel(Layer l, String role, int channels) {
            String name = l.weights().get(role);
            if (name == null) {
                throw new IllegalArgumentException(l.name() + " has no " + role + " blob");
            }
            float[] v = values(graph.tensor(name), l.name() + " " + role);
            if (v.length == 1 && channels > 1) {
                float[] b = new float[channels];
                Arrays.fill(b, v[0]);
                return b;
            }
            if (v.length != channels) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s %s has %d values; expected %d"
                        + " (one per channel of the conv it follows)", l.name(), role, v.length, channels));
            }
            return v;
        }

        private static float[] values(Tensor t, String what) {
            if (t.weights() == null) {
                throw new IllegalArgumentException(what + " have no values (model read without weights)");
            }
            return t.weights().toArray();
        }

        private int channels(String tensor) {
            Tensor t = graph.tensors().get(tensor);
            return t == null || t.shape().rank() < 2 ? 1 : (int) t.shape().dim(1);
        }

        private List<InputRecipe> inputRecipes() {
            List<InputRecipe> recipes = new ArrayList<>();
            if (options.inputFormat() != InputFormat.IMAGE) {
                return recipes;
            }
            for (String in : graph.inputs()) {
                Float s = run.get(in);
                if (s == null || !(s > 0)) {
                    continue;
                }
                InputRecipe r = InputRecipe.forNvSmallRuntime(in, s, options.inputMean(), options.inputNormalize(),
                        InputRecipe.DEFAULT_TOLERANCE);
                recipes.add(r);
                r.mismatch().ifPresent(network::add);
            }
            return recipes;
        }

        private static List<String> names(List<Layer> layers) {
            return layers.stream().map(Layer::name).toList();
        }

        private static boolean same(float a, float b) {
            return Math.abs(a - b) <= SCALE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
        }

        private static String g(double v) {
            return String.format(Locale.ROOT, "%.8g", v);
        }
    }
}
