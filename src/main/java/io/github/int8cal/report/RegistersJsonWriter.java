package io.github.int8cal.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.github.int8cal.emit.LayerFileNames;
import io.github.int8cal.emit.PythonFloatRepr;
import io.github.int8cal.emit.RegisterTraceWriter;
import io.github.int8cal.fixedpoint.ScaleShift;
import io.github.int8cal.fixedpoint.ShiftedInt16;
import io.github.int8cal.nvdla.program.LayerProgram;
import io.github.int8cal.nvdla.program.OperandMemory;
import io.github.int8cal.nvdla.program.RegisterWrite;
import io.github.int8cal.plan.Diagnostic;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.InputRecipe;
import io.github.int8cal.plan.LayerRequant;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.OperandSource;
import io.github.int8cal.plan.SdpProgram;
import io.github.int8cal.plan.XUnitProgram;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code registers.json}: {@code {"format": "nvdla-int8-registers", "version": 1, "hardware",
 * "mode", ..., "layers": [{"name", "file", "registers": [{"unit", "name", "address", "value",
 * "fields"}], "operands", "requant", "diagnostics", "explain"}]}}. Addresses and values are
 * {@code "0x%08x"} strings, fields are integers (two's-complement fields signed), per-channel
 * values are arrays. Doubles use {@link ShortestDouble}; key order is fixed; {@code \n} line ends.
 */
public final class RegistersJsonWriter {

    public static final String FORMAT = "nvdla-int8-registers";
    public static final int VERSION = 1;

    private RegistersJsonWriter() {
    }

    public static String render(NetworkPlan plan, List<LayerProgram> layers) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"));
            g.setPrettyPrinter(pp);
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
            g.writeStringField("graph", plan.graphName());
            g.writeStringField("hardware", plan.options().hardware().name());
            g.writeStringField("mode", plan.options().mode().id());
            g.writeStringField("weightQuantization",
                    plan.options().scope().id());
            g.writeStringField("inputFormat", plan.options().inputFormat().id());
            if (plan.skipped().isPresent()) {
                g.writeStringField("skipped", plan.skipped().get());
            }
            g.writeObjectFieldStart("files");
            for (LayerProgram l : layers) {
                if (!l.writes().isEmpty()) {
                    g.writeStringField(l.name(), RegisterTraceWriter.FRAGMENT_DIR + "/" + LayerFileNames.encode(l.name()) + ".cfg");
                }
            }
            g.writeEndObject();
            g.writeObjectFieldStart("runScales");
            for (Map.Entry<String, Float> e : plan.runScales().entrySet()) {
                g.writeFieldName(e.getKey());
                number(g, e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("inputRecipes");
            for (InputRecipe r : plan.inputRecipes()) {
                inputRecipe(g, r);
            }
            g.writeEndArray();
            diagnostics(g, "diagnostics", plan.networkDiagnostics());
            g.writeArrayFieldStart("layers");
            for (LayerProgram l : layers) {
                layer(g, l);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString() + "\n";
    }

    private static void layer(JsonGenerator g, LayerProgram l) throws IOException {
        HardwareLayerPlan p = l.layer();
        g.writeStartObject();
        g.writeStringField("name", p.name());
        g.writeStringField("op", p.op().name().toLowerCase(Locale.ROOT).replace('_', '+'));
        g.writeFieldName("graphLayers");
        strings(g, p.graphLayers());
        g.writeArrayFieldStart("inputs");
        for (int i = 0; i < p.inputTensors().size(); i++) {
            g.writeStartObject();
            g.writeStringField("tensor", p.inputTensors().get(i));
            g.writeFieldName("scale");
            number(g, i < p.inputScales().size() ? p.inputScales().get(i) : Double.NaN);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("output");
        g.writeStringField("tensor", p.outputTensor());
        g.writeFieldName("scale");
        number(g, p.outputScale());
        g.writeNumberField("channels", p.outputChannels());
        g.writeEndObject();
        if (!l.writes().isEmpty()) {
            g.writeStringField("file", RegisterTraceWriter.FRAGMENT_DIR + "/" + LayerFileNames.encode(p.name()) + ".cfg");
        }
        g.writeArrayFieldStart("registers");
        for (RegisterWrite w : l.writes()) {
            g.writeStartObject();
            g.writeStringField("unit", w.unit().name());
            g.writeStringField("name", w.name());
            g.writeStringField("address", hex(w.address()));
            g.writeStringField("value", hex(w.value()));
            g.writeObjectFieldStart("fields");
            for (Map.Entry<String, Long> f : w.fields().entrySet()) {
                g.writeNumberField(f.getKey(), f.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("operands");
        for (OperandMemory m : l.operands()) {
            g.writeStartObject();
            g.writeStringField("unit", m.xUnit());
            g.writeStringField("dma", m.dma());
            g.writeStringField("address", hex(m.address()));
            g.writeStringField("layout", m.layout());
            g.writeNumberField("bytes", m.bytes().length);
            g.writeStringField("dat", RegisterTraceWriter.FRAGMENT_DIR + "/" + LayerFileNames.encode(p.name()) + ".dat");
            g.writeStringField("datOffset", hex(m.offset()));
            if (m.alu().length > 0) {
                g.writeFieldName("alu");
                ints(g, m.alu());
            }
            if (m.mul().length > 0) {
                g.writeFieldName("mul");
                ints(g, m.mul());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        if (p.requant() != null) {
            g.writeFieldName("requant");
            requant(g, p.requant());
        }
        if (p.eltwise() != null) {
            g.writeFieldName("eltwiseRequant");
            requant(g, p.eltwise());
        }
        g.writeFieldName("notes");
        strings(g, l.notes());
        diagnostics(g, "diagnostics", p.diagnostics());
        g.writeStringField("explain", p.explain());
        g.writeEndObject();
    }

    /**
     * The derivation: real factor, multiplier, shift, effective value and relative error (scalars
     * when one multiplier serves every channel, arrays per channel otherwise), mantissa bits kept,
     * weight scales, and the int16 bias/mean with its shift and what the shift lost.
     */
    private static void requant(JsonGenerator g, LayerRequant r) throws IOException {
        g.writeStartObject();
        g.writeStringField("layer", r.layer());
        g.writeStringField("kind", r.kind().name().toLowerCase(Locale.ROOT));
        g.writeStringField("mode", r.mode().id());
        g.writeFieldName("inputScale");
        number(g, r.inputScale());
        g.writeFieldName("outputScale");
        number(g, r.outputScale());
        int n = r.multipliers().size();
        boolean perChannel = perChannelMultiplier(r.program());
        g.writeNumberField("channels", r.channels());
        g.writeBooleanField("perChannel", perChannel);
        if (n > 0 && n == r.channels()) {
            if (perChannel) {
                g.writeFieldName("factor");
                doubles(g, r.idealFactors());
                g.writeFieldName("multiplier");
                ints(g, r.multipliers().stream().mapToInt(ScaleShift::multiplier).toArray());
                g.writeFieldName("shift");
                ints(g, r.multipliers().stream().mapToInt(ScaleShift::shift).toArray());
                g.writeFieldName("effective");
                doubles(g, r.effectiveFactors());
                g.writeFieldName("relativeError");
                doubles(g, r.relativeErrors());
            } else {
                g.writeFieldName("factor");
                number(g, r.idealFactors()[0]);
                g.writeNumberField("multiplier", r.multipliers().get(0).multiplier());
                g.writeNumberField("shift", r.multipliers().get(0).shift());
                g.writeFieldName("effective");
                number(g, r.effectiveFactors().length > 0 ? r.effectiveFactors()[0] : Double.NaN);
                g.writeFieldName("relativeError");
                number(g, r.relativeErrors().length > 0 ? r.relativeErrors()[0] : Double.NaN);
            }
            g.writeFieldName("mantissaBits");
            ints(g, r.mantissaBits());
        }
        g.writeFieldName("worstRelativeError");
        number(g, r.worstRelativeError());
        if (r.weightScales().length > 0) {
            g.writeStringField("weightScope", r.scope().id());
            g.writeFieldName("weightScales");
            floats(g, r.weightScales());
            g.writeNumberField("paddedInputChannels", r.paddedInputChannels());
        }
        if (r.bnFactors().length > 0) {
            g.writeFieldName("bnFactors");
            floats(g, r.bnFactors());
        }
        ShiftedInt16 alu = r.aluOperand();
        if (alu != null) {
            g.writeObjectFieldStart(r.kind() == io.github.int8cal.plan.LayerKind.CONV_BATCHNORM ? "bnMean" : "bias");
            g.writeFieldName("int32");
            g.writeStartArray();
            for (long v : alu.values32()) {
                g.writeNumber(v);
            }
            g.writeEndArray();
            g.writeFieldName("int16");
            ints(g, alu.values16());
            g.writeNumberField("shift", alu.shift());
            g.writeFieldName("lostToShift");
            g.writeStartArray();
            for (int k = 0; k < alu.channels(); k++) {
                g.writeNumber(alu.values32()[k] - alu.applied(k));
            }
            g.writeEndArray();
            g.writeFieldName("wrapped");
            g.writeStartArray();
            for (boolean w : alu.wrapped()) {
                g.writeBoolean(w);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        diagnostics(g, "diagnostics", r.diagnostics());
        g.writeEndObject();
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

    private static void inputRecipe(JsonGenerator g, InputRecipe r) throws IOException {
        g.writeStartObject();
        g.writeStringField("input", r.input());
        g.writeFieldName("tableScale");
        number(g, r.tableScale());
        g.writeFieldName("mean");
        number(g, r.mean());
        g.writeFieldName("normalize");
        number(g, r.normalize());
        g.writeStringField("hostFormula", "q = sat8(round_half_away_from_zero((p - mean) * normalize / tableScale))");
        g.writeFieldName("runtimeScale");
        number(g, r.runtimeScale());
        g.writeFieldName("ratio");
        number(g, r.ratio());
        g.writeNumberField("cdmaCvtOffset", r.cdmaCvtOffset());
        g.writeNumberField("cdmaCvtScale", r.cdmaCvt().multiplier());
        g.writeNumberField("cdmaCvtTruncate", r.cdmaCvt().shift());
        g.writeBooleanField("runtimeMismatch", r.mismatch().isPresent());
        g.writeEndObject();
    }

    private static void diagnostics(JsonGenerator g, String field, List<Diagnostic> list) throws IOException {
        g.writeArrayFieldStart(field);
        for (Diagnostic d : list) {
            g.writeStartObject();
            g.writeStringField("layer", d.layer());
            g.writeStringField("code", d.code().name());
            g.writeStringField("severity", d.severity().name());
            g.writeStringField("message", d.message());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void number(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(PythonFloatRepr.repr(v));
        } else {
            g.writeNull(); // JSON has no NaN/Infinity; the diagnostics say why
        }
    }

    private static void doubles(JsonGenerator g, double[] values) throws IOException {
        g.writeStartArray();
        for (double v : values) {
            number(g, v);
        }
        g.writeEndArray();
    }

    private static void floats(JsonGenerator g, float[] values) throws IOException {
        g.writeStartArray();
        for (float v : values) {
            number(g, v);
        }
        g.writeEndArray();
    }

    private static void ints(JsonGenerator g, int[] values) throws IOException {
        g.writeStartArray();
        for (int v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void strings(JsonGenerator g, List<String> values) throws IOException {
        g.writeStartArray();
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    static String hex(long v) {
        return String.format(Locale.ROOT, "0x%08x", v);
    }
}
