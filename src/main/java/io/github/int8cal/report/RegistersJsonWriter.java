package io.github.int8cal.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.int8cal.emit.LayerFileNames;
import io.github.int8cal.emit.RegisterTraceWriter;
import io.github.int8cal.fixedpoint.ScaleShift;
import io.github.int8cal.fixedpoint.ShiftedInt16;
import io.github.int8cal.nvdla.program.LayerProgram;
import io.github.int8cal.nvdla.program.OperandMemory;
import io.github.int8cal.nvdla.program.RegisterWrite;
import io.github.int8cal.plan.Diagnostic;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.InputRecipe;
import io.github.int8cal.plan.LayerKind;
import io.github.int8cal.plan.LayerRequant;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.OperandSource;
import io.github.int8cal.plan.SdpProgram;
import io.github.int8cal.plan.XUnitProgram;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code registers.json}: {@code {"format": "nvdla-int8-registers", "version": 1, "hardware",
 * "mode", ..., "layers": [{"name", "file", "registers": [{"unit", "name", "address", "value",
 * "fields"}], "operands", "requant", "diagnostics", "explain"}]}}. Addresses and values are
 * {@code "0x%08x"} strings, fields are integers (two's-complement fields signed), per-channel
 * values are arrays, doubles are Python's {@code repr}; key order is fixed. Printed with
 * {@link JsonText#pretty} (arrays on one line).
 */
public final class RegistersJsonWriter {

    public static final String FORMAT = "nvdla-int8-registers";
    public static final int VERSION = 1;

    private RegistersJsonWriter() {
    }

    public static String render(NetworkPlan plan, List<LayerProgram> layers) {
        ObjectNode root = JsonText.object();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("graph", plan.graphName());
        root.put("hardware", plan.options().hardware().name());
        root.put("mode", plan.options().mode().id());
        root.put("weightQuantization", plan.options().scope().id());
        root.put("inputFormat", plan.options().inputFormat().id());
        plan.skipped().ifPresent(why -> root.put("skipped", why));
        ObjectNode files = root.putObject("files");
        for (LayerProgram l : layers) {
            if (!l.writes().isEmpty()) {
                files.put(l.name(), fragment(l.name(), ".cfg"));
            }
        }
        ObjectNode runScales = root.putObject("runScales");
        plan.runScales().forEach((tensor, scale) -> runScales.set(tensor, JsonText.number(scale)));
        ArrayNode recipes = root.putArray("inputRecipes");
        plan.inputRecipes().forEach(r -> inputRecipe(recipes.addObject(), r));
        diagnostics(root.putArray("diagnostics"), plan.networkDiagnostics());
        ArrayNode out = root.putArray("layers");
        layers.forEach(l -> layer(out.addObject(), l));
        return JsonText.pretty(root, false);
    }

    private static String fragment(String layer, String extension) {
        return RegisterTraceWriter.FRAGMENT_DIR + "/" + LayerFileNames.encode(layer) + extension;
    }

    private static void layer(ObjectNode o, LayerProgram l) {
        HardwareLayerPlan p = l.layer();
        o.put("name", p.name());
        o.put("op", p.op().name().toLowerCase(Locale.ROOT).replace('_', '+'));
        p.graphLayers().forEach(o.putArray("graphLayers")::add);
        ArrayNode inputs = o.putArray("inputs");
        for (int i = 0; i < p.inputTensors().size(); i++) {
            ObjectNode in = inputs.addObject();
            in.put("tensor", p.inputTensors().get(i));
            in.set("scale", JsonText.number(i < p.inputScales().size() ? p.inputScales().get(i) : Double.NaN));
        }
        ObjectNode output = o.putObject("output");
        output.put("tensor", p.outputTensor());
        output.set("scale", JsonText.number(p.outputScale()));
        output.put("channels", p.outputChannels());
        if (!l.writes().isEmpty()) {
            o.put("file", fragment(p.name(), ".cfg"));
        }
        ArrayNode registers = o.putArray("registers");
        for (RegisterWrite w : l.writes()) {
            ObjectNode r = registers.addObject();
            r.put("unit", w.unit().name());
            r.put("name", w.name());
            r.put("address", hex(w.address()));
            r.put("value", hex(w.value()));
            ObjectNode fields = r.putObject("fields");
            w.fields().forEach(fields::put);
        }
        ArrayNode operands = o.putArray("operands");
        l.operands().forEach(m -> operand(operands.addObject(), m, p.name()));
        if (p.requant() != null) {
            requant(o.putObject("requant"), p.requant());
        }
        if (p.eltwise() != null) {
            requant(o.putObject("eltwiseRequant"), p.eltwise());
        }
        l.notes().forEach(o.putArray("notes")::add);
        diagnostics(o.putArray("diagnostics"), p.diagnostics());
        o.put("explain", p.explain());
    }

    private static void operand(ObjectNode o, OperandMemory m, String layer) {
        o.put("unit", m.xUnit());
        o.put("dma", m.dma());
        o.put("address", hex(m.address()));
        o.put("layout", m.layout());
        o.put("bytes", m.bytes().length);
        o.put("dat", fragment(layer, ".dat"));
        o.put("datOffset", hex(m.offset()));
        if (m.alu().length > 0) {
            ints(o.putArray("alu"), m.alu());
        }
        if (m.mul().length > 0) {
            ints(o.putArray("mul"), m.mul());
        }
    }

    /**
     * The derivation: real factor, multiplier, shift, effective value and relative error (scalars
     * when one multiplier serves every channel, arrays per channel otherwise), mantissa bits kept,
     * weight scales, and the int16 bias/mean with its shift and what the shift lost.
     */
    private static void requant(ObjectNode o, LayerRequant r) {
        o.put("layer", r.layer());
        o.put("kind", r.kind().name().toLowerCase(Locale.ROOT));
        o.put("mode", r.mode().id());
        o.set("inputScale", JsonText.number(r.inputScale()));
        o.set("outputScale", JsonText.number(r.outputScale()));
        int n = r.multipliers().size();
        boolean perChannel = perChannelMultiplier(r.program());
        o.put("channels", r.channels());
        o.put("perChannel", perChannel);
        if (n > 0 && n == r.channels()) {
            multipliers(o, r, perChannel);
            ints(o.putArray("mantissaBits"), r.mantissaBits());
        }
        o.set("worstRelativeError", JsonText.number(r.worstRelativeError()));
        if (r.weightScales().length > 0) {
            o.put("weightScope", r.scope().id());
            floats(o.putArray("weightScales"), r.weightScales());
            o.put("paddedInputChannels", r.paddedInputChannels());
        }
        if (r.bnFactors().length > 0) {
            floats(o.putArray("bnFactors"), r.bnFactors());
        }
        ShiftedInt16 alu = r.aluOperand();
        if (alu != null) {
            aluOperand(o.putObject(r.kind() == LayerKind.CONV_BATCHNORM ? "bnMean" : "bias"), alu);
        }
        diagnostics(o.putArray("diagnostics"), r.diagnostics());
    }

    private static void multipliers(ObjectNode o, LayerRequant r, boolean perChannel) {
        if (perChannel) {
            doubles(o.putArray("factor"), r.idealFactors());
            ints(o.putArray("multiplier"), r.multipliers().stream().mapToInt(ScaleShift::multiplier).toArray());
            ints(o.putArray("shift"), r.multipliers().stream().mapToInt(ScaleShift::shift).toArray());
            doubles(o.putArray("effective"), r.effectiveFactors());
            doubles(o.putArray("relativeError"), r.relativeErrors());
        } else {
            o.set("factor", JsonText.number(r.idealFactors()[0]));
            o.put("multiplier", r.multipliers().get(0).multiplier());
            o.put("shift", r.multipliers().get(0).shift());
            o.set("effective", JsonText.number(r.effectiveFactors().length > 0 ? r.effectiveFactors()[0] : Double.NaN));
            o.set("relativeError", JsonText.number(r.relativeErrors().length > 0 ? r.relativeErrors()[0]
                    : Double.NaN));
        }
    }

    private static void aluOperand(ObjectNode o, ShiftedInt16 alu) {
        ArrayNode int32 = o.putArray("int32");
        for (long v : alu.values32()) {
            int32.add(v);
        }
        ints(o.putArray("int16"), alu.values16());
        o.put("shift", alu.shift());
        ArrayNode lost = o.putArray("lostToShift");
        for (int k = 0; k < alu.channels(); k++) {
            lost.add(alu.values32()[k] - alu.applied(k));
        }
        ArrayNode wrapped = o.putArray("wrapped");
        for (boolean w : alu.wrapped()) {
            wrapped.add(w);
        }
    }

    private static boolean perChannelMultiplier(SdpProgram p) {
        if (p == null) {
            return false;
        }
        for (XUnitProgram x : new XUnitProgram[] {p.x1(), p.x2()}) {
            if (x != null && x.usesMul() && x.source() == OperandSource.MEMORY_PER_CHANNEL) {
                return true;
            }
        }
        return false;
    }

    private static void inputRecipe(ObjectNode o, InputRecipe r) {
        o.put("input", r.input());
        o.set("tableScale", JsonText.number(r.tableScale()));
        o.set("mean", JsonText.number(r.mean()));
        o.set("normalize", JsonText.number(r.normalize()));
        o.put("hostFormula", "q = sat8(round_half_away_from_zero((p - mean) * normalize / tableScale))");
        o.set("runtimeScale", JsonText.number(r.runtimeScale()));
        o.set("ratio", JsonText.number(r.ratio()));
        o.put("cdmaCvtOffset", r.cdmaCvtOffset());
        o.put("cdmaCvtScale", r.cdmaCvt().multiplier());
        o.put("cdmaCvtTruncate", r.cdmaCvt().shift());
        o.put("runtimeMismatch", r.mismatch().isPresent());
    }

    private static void diagnostics(ArrayNode a, List<Diagnostic> list) {
        for (Diagnostic d : list) {
            ObjectNode o = a.addObject();
            o.put("layer", d.layer());
            o.put("code", d.code().name());
            o.put("severity", d.severity().name());
            o.put("message", d.message());
        }
    }

    private static void doubles(ArrayNode a, double[] values) {
        for (double v : values) {
            a.add(JsonText.number(v));
        }
    }

    private static void floats(ArrayNode a, float[] values) {
        for (float v : values) {
            a.add(JsonText.number(v));
        }
    }

    private static void ints(ArrayNode a, int[] values) {
        for (int v : values) {
            a.add(v);
        }
    }

    static String hex(long v) {
        return String.format(Locale.ROOT, "0x%08x", v);
    }
}
