package io.github.int8cal.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.examples.ConcatResidualModel;
import io.github.int8cal.examples.WideRangeConvModel;
import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.StatisticsKeys;
import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registers through the whole calibrate pipeline. LeNet: the fixture's TensorRT cache and model
 * files; the register values are those the real nvdla_compiler wrote into its loadables
 * (docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler, the same numbers {@code LeNetRegistersTest}
 * checks from the planner directly), so the pipeline must hand the planner exactly the fixture's float32 scales.
 */
class RegistersPipelineTest {

    static final Path LENET = Path.of("../shared/fixtures/caffe-lenet");

    @TempDir
    Path dir;

    /** The register options a test sets; the rest keep their defaults. */
    static final Consumer<PlanOptions.Builder> DEFAULTS = r -> { };

    private CalibrateRequest lenet(String out, Path weights, Consumer<PlanOptions.Builder> registers)
            throws ProblemException {
        return CalibrateRequest.builder().statistics(LENET.resolve("lenet.calibration.table"))
                .calibration(c -> c.method(CalibrationMethod.ENTROPY))
                .model(LENET.resolve("lenet.prototxt"), weights)
                .outputs(dir.resolve(out), dir.resolve(out + "-report"))
                .registers(registers)
                // these tests are about registers; GatePipelineTest covers the verification and its gate
                .verify(v -> v.enabled(false))
                .build();
    }

    private CalibrateRequest lenet(String out, Consumer<PlanOptions.Builder> registers) throws ProblemException {
        return lenet(out, LENET.resolve("lenet.caffemodel"), registers);
    }

    static Consumer<PlanOptions.Builder> settings(RequantMode mode, WeightScope scope) {
        return r -> r.mode(mode).scope(scope);
    }

    static JsonNode json(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }

    static JsonNode named(JsonNode array, String name) {
        for (JsonNode l : array) {
            if (l.get("name").asText().equals(name)) {
                return l;
            }
        }
        throw new AssertionError("no " + name + " in " + array);
    }

    static long field(JsonNode layer, String unit, String register, String field) {
        for (JsonNode r : layer.get("registers")) {
            if (r.get("unit").asText().equals(unit) && r.get("name").asText().equals(register)) {
                return r.get("fields").get(field).asLong();
            }
        }
        throw new AssertionError(layer.get("name") + " has no " + unit + "." + register);
    }

    @Test
    void lenetPerKernelCompilerRegistersAreTheRealCompilersAndListedAsWritten() throws Exception {
        ListLog log = new ListLog();
        CalibrateResult r = new CalibratePipeline(log).run(lenet("o", settings(RequantMode.COMPILER,
                WeightScope.PER_KERNEL)));
        Path out = dir.resolve("o");
        JsonNode registers = json(out.resolve("registers.json"));
        assertEquals("compiler", registers.get("mode").asText());
        assertEquals("per-kernel", registers.get("weightQuantization").asText());
        assertEquals("image", registers.get("inputFormat").asText(), "Caffe defaults to an image input");
        // docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler: SDP out_cvt (scale, shift) of LeNet's
        // conv1, conv2, ip1, ip2
        String[] layers = {"conv1", "conv2", "ip1", "ip2"};
        long[][] cvt = {{16557, 23}, {16846, 26}, {30309, 25}, {20972, 25}};
        for (int i = 0; i < layers.length; i++) {
            JsonNode l = named(registers.get("layers"), layers[i]);
            assertEquals(cvt[i][0], field(l, "SDP", "D_CVT_SCALE", "CVT_SCALE"), layers[i]);
            assertEquals(cvt[i][1], field(l, "SDP", "D_CVT_SHIFT", "CVT_SHIFT"), layers[i]);
            assertTrue(Files.isRegularFile(out.resolve("registers/" + layers[i] + ".cfg")), layers[i]);
            assertTrue(Files.isRegularFile(out.resolve("registers/" + layers[i] + ".dat")), layers[i]);
        }
        assertTrue(Files.readString(out.resolve("registers/conv1.cfg"))
                .contains("reg_write(NVDLA_SDP.D_CVT_SCALE_0, 0x40ad);"), "16557 = 0x40ad");
        // 4 programmed layers, .cfg + .dat each, after registers.json; all in the up-to-date marker's list
        List<Path> expected = new ArrayList<>(List.of(out.resolve("registers.json")));
        for (String l : List.of("conv1", "conv2", "ip1", "ip2")) {
            expected.add(out.resolve("registers/" + l + ".cfg"));
            expected.add(out.resolve("registers/" + l + ".dat"));
        }
        assertEquals(expected, r.registers());
        assertTrue(r.written().containsAll(expected));
        assertEquals(r.calibrationCache(), r.written().get(0));

        // the report: requant summary of the layer that names the hardware layer, relu1 points at ip1
        JsonNode report = json(r.report());
        JsonNode conv1 = named(report.get("layers"), "conv1");
        assertEquals("conv1", conv1.get("hardwareLayer").asText());
        assertEquals(16557, conv1.get("requant").get("multiplier").asInt());
        assertEquals(23, conv1.get("requant").get("shift").asInt());
        assertTrue(conv1.get("explain").asText().startsWith("conv1: conv/FC + SDP Bias op, compiler mode"),
                conv1.get("explain").asText());
        assertEquals("ip1", named(report.get("layers"), "relu1").get("hardwareLayer").asText());
        assertFalse(named(report.get("layers"), "relu1").has("requant"));
        assertEquals("registers.json", report.get("registers").get("file").asText());
        assertTrue(report.get("registers").get("skipped").isNull());

        // the image input: nvdla_runtime's p*127/255 does not match the table's data scale
        // (docs/nvdla-compiler.md#image-input)
        JsonNode mismatch = named2(report.get("diagnostics"), "data");
        assertEquals("INPUT_SCALING_MISMATCH", mismatch.get("code").asText());
        assertEquals("WARNING", mismatch.get("severity").asText());
        assertTrue(log.warnings.stream().anyMatch(w -> w.startsWith(
                "nvdla-int8: registers: layer 'data': INPUT_SCALING_MISMATCH: nvdla_runtime feeds")), log.warnings::toString);
        assertEquals(report.get("diagnostics").size(), log.warnings.stream().filter(w -> w.contains("registers:"))
                .count() + log.debug.stream().filter(d -> d.contains("registers: layer")).count());
        // -X: every hardware layer's derivation
        assertTrue(log.debug.stream().anyMatch(d -> d.startsWith("nvdla-int8: conv2: conv/FC + SDP Bias op")),
                log.debug::toString);
        assertTrue(log.info.stream().anyMatch(i -> i.startsWith("nvdla-int8: registers for 4 of 7 hardware layers"
                + " (compiler mode, per-kernel weights, image input, nv_small)")), log.info::toString);
    }

    private static JsonNode named2(JsonNode diagnostics, String layer) {
        for (JsonNode d : diagnostics) {
            if (d.get("layer").asText().equals(layer)) {
                return d;
            }
        }
        throw new AssertionError("no diagnostic for " + layer + " in " + diagnostics);
    }

    @Test
    void defaultSettingsArePerFilterCompilerWithTheRealCompilersConv2Multipliers() throws Exception {
        CalibrateResult r = new CalibratePipeline(BuildLog.SILENT).run(lenet("o", DEFAULTS));
        JsonNode registers = json(dir.resolve("o/registers.json"));
        assertEquals("per-filter", registers.get("weightQuantization").asText());
        JsonNode conv2 = named(registers.get("layers"), "conv2");
        JsonNode mul = conv2.get("operands").get(0).get("mul");
        // docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler, per-filter loadable: conv2's first X1
        // multipliers, truncate 26
        assertEquals(List.of(13581, 11813, 14708, 11613), List.of(mul.get(0).asInt(), mul.get(1).asInt(),
                mul.get(2).asInt(), mul.get(3).asInt()));
        assertEquals(26, field(conv2, "SDP", "D_DP_BS_MUL_CFG", "BS_MUL_SHIFT_VALUE"));
        JsonNode requant = named(json(r.report()).get("layers"), "conv2").get("requant");
        assertEquals(50, requant.get("multiplier").size(), "per-channel arrays");
        assertEquals(13581, requant.get("multiplier").get(0).asInt());
    }

    @Test
    void twoRunsWriteTheSameBytes() throws Exception {
        for (RequantMode mode : RequantMode.values()) {
            new CalibratePipeline(BuildLog.SILENT).run(lenet(mode + "a", settings(mode, WeightScope.PER_FILTER)));
            new CalibratePipeline(BuildLog.SILENT).run(lenet(mode + "b", settings(mode, WeightScope.PER_FILTER)));
            assertSameTree(dir.resolve(mode + "a"), dir.resolve(mode + "b"));
            assertArrayEquals(Files.readAllBytes(dir.resolve(mode + "a-report/report.json")),
                    Files.readAllBytes(dir.resolve(mode + "b-report/report.json")));
        }
    }

    static void assertSameTree(Path a, Path b) throws Exception {
        List<Path> files = tree(a);
        assertEquals(files, tree(b));
        assertTrue(files.contains(Path.of("registers/conv1.cfg")), files.toString());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
        }
    }

    static List<Path> tree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    @Test
    void preciseModeIsNeverWorseThanCompilerMode() throws Exception {
        for (WeightScope scope : WeightScope.values()) {
            CalibrateResult c = new CalibratePipeline(BuildLog.SILENT).run(lenet("c" + scope,
                    settings(RequantMode.COMPILER, scope)));
            CalibrateResult p = new CalibratePipeline(BuildLog.SILENT).run(lenet("p" + scope,
                    settings(RequantMode.PRECISE, scope)));
            double compiler = json(c.report()).get("registers").get("worstRelativeError").asDouble();
            double precise = json(p.report()).get("registers").get("worstRelativeError").asDouble();
            assertTrue(compiler > 0, "truncated 15-bit mantissas are never exact for LeNet");
            assertTrue(precise <= compiler, scope + ": precise " + precise + " > compiler " + compiler);
            // the report's per-mode figures agree with the runs in each mode
            JsonNode byMode = json(c.report()).get("registers").get("worstRelativeErrorByMode");
            assertEquals(compiler, byMode.get("compiler").asDouble());
            assertEquals(precise, byMode.get("precise").asDouble());
            assertEquals("precise", json(dir.resolve("p" + scope + "/registers.json")).get("mode").asText());
            System.out.printf("LeNet through the pipeline, %s: worst |relative error| compiler %.3e, precise %.3e%n",
                    scope, compiler, precise);
        }
    }

    @Test
    void withoutWeightsOneLineSaysRegistersAreSkippedAndAnEarlierSetIsRemoved() throws Exception {
        new CalibratePipeline(BuildLog.SILENT).run(lenet("o", DEFAULTS));
        assertTrue(Files.isRegularFile(dir.resolve("o/registers/conv1.cfg")));

        ListLog log = new ListLog();
        CalibrateResult r = new CalibratePipeline(log).run(lenet("o", null, DEFAULTS));
        List<String> mentions = log.info.stream().filter(l -> l.contains("registers.json")).toList();
        assertEquals(2, mentions.size(), log.info.toString());
        assertTrue(mentions.get(0).contains("no weights given for lenet.prototxt") && mentions.get(0)
                .contains("registers.json is skipped"), mentions.get(0));
        assertTrue(mentions.get(1).startsWith("nvdla-int8: removed registers.json and registers/ of an earlier run"),
                mentions.get(1));
        assertTrue(log.warnings.isEmpty(), log.warnings.toString());
        assertFalse(Files.exists(dir.resolve("o/registers.json")));
        assertFalse(Files.exists(dir.resolve("o/registers")));
        assertEquals(List.of(), r.registers());
        JsonNode section = json(r.report()).get("registers");
        assertTrue(section.get("skipped").asText().contains("without weights"), section.toString());
        assertTrue(section.get("file").isNull());

        // a fresh directory: exactly one line about the weights (and so the registers)
        ListLog fresh = new ListLog();
        new CalibratePipeline(fresh).run(lenet("fresh", null, DEFAULTS));
        assertEquals(1, fresh.info.stream().filter(l -> l.contains("registers")).count(), fresh.info.toString());
    }

    @Test
    void fragmentsOfAnEarlierRunAreReplacedAndForeignFilesStopTheRunBeforeAnythingIsWritten() throws Exception {
        Path out = dir.resolve("o");
        Files.createDirectories(out.resolve("registers"));
        Files.writeString(out.resolve("registers/conv9.cfg"), "stale");
        new CalibratePipeline(BuildLog.SILENT).run(lenet("o", DEFAULTS));
        assertFalse(Files.exists(out.resolve("registers/conv9.cfg")));
        assertTrue(Files.exists(out.resolve("registers/conv1.cfg")));
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("calibration.cache", "calibtable.json", "registers", "registers.json"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no staging folder left");
        }

        Path other = dir.resolve("x");
        Files.createDirectories(other.resolve("registers"));
        Files.writeString(other.resolve("registers/notes.txt"), "mine");
        ProblemException e = assertThrows(ProblemException.class,
                () -> new CalibratePipeline(BuildLog.SILENT).run(lenet("x", DEFAULTS)));
        assertTrue(e.getMessage().contains("notes.txt: was not written by the plugin"), e.getMessage());
        assertFalse(Files.exists(other.resolve("calibtable.json")), "nothing written");
        assertEquals("mine", Files.readString(other.resolve("registers/notes.txt")));
    }

    @Test
    void registerSettingsChangeTheUpToDateDigest() throws Exception {
        CalibrateRequest a = lenet("o", DEFAULTS);
        for (Consumer<PlanOptions.Builder> s : List.of(settings(RequantMode.PRECISE, WeightScope.PER_FILTER),
                settings(RequantMode.COMPILER, WeightScope.PER_KERNEL),
                r -> r.hardware(HardwareConfig.NV_FULL),
                r -> r.maxMantissaBitsLost(6))) {
            CalibrateRequest b = lenet("o", s);
            assertNotEquals(a.toString(), b.toString(), b.registers().toString());
        }
    }

    @Test
    void invalidRegisterSettingsFailTogether() {
        Consumer<PlanOptions.Builder> bad = r -> r.inputRecipe(Float.NaN, 0f).maxMantissaBitsLost(16);
        ProblemException e = assertThrows(ProblemException.class,
                () -> new CalibratePipeline(BuildLog.SILENT).run(lenet("o", bad)));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("<maxMantissaBitsLost>: 16 is outside [0, 15]"), e.getMessage());
    }

    // ---- ONNX ------------------------------------------------------------------------------

    private CalibrateRequest.Builder onnx(Path model, String stats, String out, boolean unify) throws Exception {
        Path s = dir.resolve(out + "-stats.json");
        Files.writeString(s, stats);
        return CalibrateRequest.builder().statistics(s).calibration(c -> c.method(CalibrationMethod.MAX))
                .model(model, null).unifyScales(unify).outputs(dir.resolve(out), dir.resolve(out + "-report"));
    }

    /** c (amax 7) is overwritten by d's smaller scale (amax 4) in compiler mode: it clips. */
    static final String RESIDUAL_STATS = "{\"format\": \"nvdla-int8-statistics\", \"version\": 1, \"tensors\": [\n"
            + "{\"name\": \"x\", \"min\": 0, \"max\": 1},\n"
            + "{\"name\": \"a\", \"min\": -5, \"max\": 1.5},\n"
            + "{\"name\": \"b\", \"min\": -5, \"max\": 4},\n"
            + "{\"name\": \"cat\", \"min\": -5, \"max\": 3},\n"
            + "{\"name\": \"c\", \"min\": -7, \"max\": 1},\n"
            + "{\"name\": \"d\", \"min\": 0, \"max\": 4},\n"
            + "{\"name\": \"res\", \"min\": -9, \"max\": 2},\n"
            + "{\"name\": \"y\", \"min\": 0, \"max\": 9}]}\n";

    @Test
    void onnxResidualNetworkWritesRegistersForEveryConvAsFeatureInput() throws Exception {
        Path model = ConcatResidualModel.write(dir.resolve("model.onnx"));
        CalibrateResult r = new CalibratePipeline(BuildLog.SILENT).run(onnx(model, RESIDUAL_STATS, "u", true).build());
        JsonNode registers = json(dir.resolve("u/registers.json"));
        assertEquals("feature", registers.get("inputFormat").asText(), "ONNX defaults to a feature-map input");
        for (String conv : List.of("conv_a", "conv_b", "conv_c", "conv_d")) {
            assertTrue(Files.isRegularFile(dir.resolve("u/registers/" + conv + ".cfg")), conv);
            assertTrue(named(registers.get("layers"), conv).get("registers").size() > 10, conv);
        }
        assertTrue(r.registers().contains(dir.resolve("u/registers.json")));
        // unified: c and d share amax 7, so no element-wise scale is overwritten
        assertTrue(json(r.report()).get("diagnostics").findValuesAsText("code").stream()
                .noneMatch(c -> c.equals("ELTWISE_SCALE_OVERWRITTEN")));
    }

    @Test
    void compilerModeElementWiseEqualizationWarnsNamingTheSum() throws Exception {
        Path model = ConcatResidualModel.write(dir.resolve("model.onnx"));
        ListLog log = new ListLog();
        CalibrateResult r = new CalibratePipeline(log).run(onnx(model, RESIDUAL_STATS, "k", false).build());
        // the planner's finding waits for the verification, which measures what the overwrite costs
        assertTrue(log.warnings.stream().noneMatch(w -> w.contains("ELTWISE_SCALE_OVERWRITTEN")), log.warnings::toString);
        List<String> eltwise = log.warnings.stream().filter(w -> w.contains("because sum 'add'")).toList();
        assertEquals(1, eltwise.size(), log.warnings.toString());
        // add(c, d): c (created first, amax 7) takes d's scale (amax 4)
        assertTrue(eltwise.get(0).startsWith("nvdla-int8: layer 'add': conv 'conv_c' (tensor 'c') calibrated amax 7"
                + " runs at amax 4 because sum 'add' takes 'd''s scale: "), eltwise.get(0));
        assertTrue(eltwise.get(0).contains("of its outputs clip"), eltwise.get(0));
        JsonNode d = named2(json(r.report()).get("diagnostics"), "add");
        assertEquals("ELTWISE_SCALE_OVERWRITTEN", d.get("code").asText());
        assertEquals("WARNING", d.get("severity").asText());
    }

    @Test
    void filtersSpanning2To13LoseMultiplierBitsAndTheWarningNamesTheConv() throws Exception {
        Path model = WideRangeConvModel.write(dir.resolve("wide.onnx"));
        String stats = "{\"format\": \"nvdla-int8-statistics\", \"version\": 1, \"tensors\": [\n"
                + "{\"name\": \"x\", \"min\": -1, \"max\": 1},\n"
                + "{\"name\": \"c\", \"min\": -2, \"max\": 2},\n"
                + "{\"name\": \"y\", \"min\": 0, \"max\": 2}]}\n";
        ListLog log = new ListLog();
        CalibrateResult r = new CalibratePipeline(log).run(onnx(model, stats, "w", true)
                .registers(o -> o.maxMantissaBitsLost(10)).build());
        List<String> lost = log.warnings.stream().filter(w -> w.contains("MANTISSA_BITS_LOST")).toList();
        assertEquals(1, lost.size(), log.warnings.toString());
        assertTrue(lost.get(0).startsWith("nvdla-int8: registers: layer 'wide_conv': MANTISSA_BITS_LOST: channel"),
                lost.get(0));
        // factors scale with max|w| of each filter: 1, 2^-4, 2^-8, 2^-13 of the first channel's 15 bits
        JsonNode requant = named(json(r.report()).get("layers"), "wide_conv").get("requant");
        int[] bits = new int[4];
        for (int k = 0; k < 4; k++) {
            bits[k] = requant.get("mantissaBits").get(k).asInt();
        }
        assertEquals(15, bits[0]);
        assertTrue(bits[3] <= 3, "channel 3 keeps " + bits[3] + " bits");
        assertTrue(Files.isRegularFile(dir.resolve("w/registers.json")));

        // the same model with the default N = 4 warns as well; with N = 15 it does not
        ListLog quiet = new ListLog();
        new CalibratePipeline(quiet).run(onnx(model, stats, "q", true).registers(o -> o.maxMantissaBitsLost(15))
                .build());
        assertTrue(quiet.warnings.stream().noneMatch(w -> w.contains("MANTISSA_BITS_LOST")), quiet.warnings::toString);
    }
}
