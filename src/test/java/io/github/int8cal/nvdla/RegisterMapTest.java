package io.github.int8cal.nvdla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RegisterMapTest {

    private static final Path FIXTURES = Path.of("../shared/fixtures");
    private static final Pattern REG_WRITE =
            Pattern.compile("\\s*reg_write\\((NVDLA_\\w+\\.\\w+)\\s*,\\s*(\\w+)\\)\\s*;.*");
    private static final Pattern FIELD_COMMENT =
            Pattern.compile("// (NVDLA_\\w+\\.\\w+)\\.(\\w+):(?:\\w+ : )?(0x[0-9a-fA-F]+)\\s*");

    private static List<Path> cfgs(String folder) throws IOException {
        try (Stream<Path> files = Files.walk(FIXTURES.resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".cfg")).sorted().toList();
        }
    }

    private static long parse(String v) {
        return v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
    }

    /**
     * Decodes then re-encodes every register write of the given traces; collects the writes that
     * set bits outside every field into {@code withReservedBits}.
     */
    private static int assertRoundTrips(List<Path> traces, RegisterMap map, Set<String> withReservedBits)
            throws IOException {
        int checked = 0;
        for (Path cfg : traces) {
            List<String> lines = Files.readAllLines(cfg, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = REG_WRITE.matcher(lines.get(i));
                if (!m.matches()) {
                    continue;
                }
                String where = cfg.getFileName() + ":" + (i + 1) + " " + m.group(1);
                RegisterSpec spec = map.findByTraceName(m.group(1))
                        .orElseThrow(() -> new AssertionError(where + " is not in the register map"));
                long raw = parse(m.group(2));
                RegisterSpec.Decoded decoded = spec.decodeExactly(raw);
                assertEquals(raw, spec.encode(decoded.fields(), decoded.reservedBits()),
                        () -> where + String.format(" 0x%x decoded to %s", raw, decoded));
                if (decoded.reservedBits() != 0) {
                    withReservedBits.add(cfg.getFileName() + ":" + (i + 1));
                }
                checked++;
            }
        }
        return checked;
    }

    @Test
    void everyNvSmallTraceRegisterRoundTrips() throws IOException {
        List<Path> traces = new ArrayList<>(cfgs("nvdla-traces/nv_small"));
        traces.addAll(cfgs("nvdla-traces-rtl/nv_small"));
        Set<String> reserved = new TreeSet<>();
        int checked = assertRoundTrips(traces, RegisterMap.of(AddressMap.SMALL), reserved);
        assertTrue(checked > 1000, "register writes checked: " + checked);
        // Random junk above the 16-bit operand fields and the 6-bit EW CVT truncates of units those
        // traces bypass (raw 0xee0fe1cf etc.); the nv_small RTL ignores those bits
        // (NV_NVDLA_SDP_REG_dual.v: {16'b0, bs_alu_operand}). Any other write with bits outside
        // our fields would mean a field is declared too narrow.
        assertEquals(Set.of("sdp_3x3x33_bn_int8_reg_2.cfg:40", "sdp_3x3x33_bn_int8_reg_2.cfg:44",
                "sdp_3x3x33_bs_bn_int8_0.cfg:12", "sdp_3x3x33_bs_bn_int8_0.cfg:20", "sdp_3x3x33_bs_bn_int8_0.cfg:39",
                "sdp_3x3x33_bs_int8_reg_0.cfg:12", "sdp_3x3x33_bs_int8_reg_0.cfg:20",
                "sdp_3x3x33_bs_int8_reg_0.cfg:39"), reserved);
    }

    @Test
    void everyNvLargeTraceRegisterRoundTrips() throws IOException {
        Set<String> reserved = new TreeSet<>();
        int checked = assertRoundTrips(cfgs("nvdla-traces/nv_large"), RegisterMap.of(AddressMap.FULL), reserved);
        assertEquals(143, checked, "register writes in the nv_large trace");
        assertEquals(Set.of(), reserved);
    }

    /**
     * The nv_large trace generator wrote every decoded field as a comment after each write
     * ({@code // NVDLA_SDP.D_DST_LINE_STRIDE_0.DST_LINE_STRIDE:0x8}); those values are an
     * independent check of names, bit ranges and the 32-byte alignment of nv_full address fields.
     */
    @Test
    void decodesFieldsAsTheNvLargeTraceCommentsSay() throws IOException {
        RegisterMap map = RegisterMap.of(AddressMap.FULL);
        int checked = 0;
        for (Path cfg : cfgs("nvdla-traces/nv_large")) {
            long raw = -1;
            String register = null;
            for (String line : Files.readAllLines(cfg, StandardCharsets.UTF_8)) {
                Matcher w = REG_WRITE.matcher(line);
                if (w.matches()) {
                    register = w.group(1);
                    raw = parse(w.group(2));
                    continue;
                }
                Matcher c = FIELD_COMMENT.matcher(line);
                if (c.matches() && c.group(1).equals(register)) {
                    RegisterSpec spec = map.findByTraceName(register).orElseThrow();
                    String fieldName = c.group(2);
                    RegisterField field = spec.field(fieldName)
                            .orElseThrow(() -> new AssertionError(spec.traceName() + " lacks field " + fieldName));
                    assertEquals(parse(c.group(3)), field.decode(raw), spec.traceName() + "." + fieldName);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 200, "field comments checked: " + checked);
    }

    /**
     * An independent register table: the appendix of the shared datapath reference (a fixture beside
     * the repository, like the traces) lists 92 registers with their nv_small and nv_full addresses,
     * field bit ranges (nv_small) and reset values, cross-checked there against opendla_small.h and
     * arnvdla.h.
     */
    @Test
    void matchesTheSpecAppendixTable() throws IOException {
        Pattern row = Pattern.compile("\\| (?:(\\w+)\\.(\\w+) \\| (0x\\w+) \\| (0x\\w+)|\\s*\\|\\s*\\|\\s*) "
                + "\\| (\\w+) \\| \\[(\\d+):(\\d+)\\] \\| (\\d+) \\| (0x\\w+) \\|.*");
        RegisterMap small = RegisterMap.of(AddressMap.SMALL);
        RegisterMap full = RegisterMap.of(AddressMap.FULL);
        String unit = null;
        String register = null;
        int registers = 0;
        int fields = 0;
        for (String line : Files.readAllLines(Path.of("../shared/docs/nvdla-datapath.md"), StandardCharsets.UTF_8)) {
            Matcher m = row.matcher(line);
            if (!m.matches()) {
                continue;
            }
            if (m.group(1) != null) {
                unit = m.group(1);
                register = m.group(2);
                Unit u = Unit.valueOf(unit);
                assertEquals(parse(m.group(3)), small.address(u, register), unit + "." + register + " nv_small");
                assertEquals(parse(m.group(4)), full.address(u, register), unit + "." + register + " nv_full");
                registers++;
            }
            RegisterField f = small.register(Unit.valueOf(unit), register).requireField(m.group(5));
            String where = unit + "." + register + "." + m.group(5);
            assertEquals(Integer.parseInt(m.group(7)), f.lsb(), where + " lsb");
            assertEquals(Integer.parseInt(m.group(8)), f.width(), where + " width");
            assertEquals(Integer.parseInt(m.group(6)), f.lsb() + f.width() - 1, where + " msb");
            assertEquals(parse(m.group(9)), f.reset(), where + " reset");
            fields++;
        }
        assertEquals(92, registers);
        assertEquals(169, fields);
    }

    @Test
    void nvFullAlignsAddressAndByteCountFields() {
        RegisterMap full = RegisterMap.of(AddressMap.FULL);
        RegisterField dst = full.register(Unit.SDP, "D_DST_BASE_ADDR_LOW_0").requireField("DST_BASE_ADDR_LOW");
        assertEquals(5, dst.lsb());
        assertEquals(0x80080000L, dst.inPlace(0x8008001fL), "low 5 bits ignored");
        RegisterField bytes = full.register(Unit.CDMA, "D_WEIGHT_BYTES_0").requireField("WEIGHT_BYTES");
        assertEquals(7, bytes.lsb());
        RegisterField smallDst = RegisterMap.of(AddressMap.SMALL).register(Unit.SDP, "D_DST_BASE_ADDR_LOW_0")
                .requireField("DST_BASE_ADDR_LOW");
        assertEquals(0, smallDst.lsb());
    }

    @Test
    void packsSignedFieldsForTheRegisterEmitter() {
        RegisterMap map = HardwareConfig.NV_SMALL.registerMap();
        RegisterSpec scale = map.register(Unit.SDP, "D_CVT_SCALE_0");
        // dc_1x1x8_1x1x8x1_int8_0 programs D_CVT_SCALE = 0xa433 = -23501
        // (docs/nvdla-arithmetic.md#a-trace-computed-by-hand)
        assertEquals(0xa433L, scale.encode(Map.of("CVT_SCALE", -23501L)));
        assertEquals(0xa433L, scale.encode(Map.of("CVT_SCALE", 0xa433L)), "the raw bit pattern is accepted too");
        assertThrows(IllegalArgumentException.class, () -> scale.encode(Map.of("CVT_SCALE", -40000L)));
        assertEquals(-23501L, scale.requireField("CVT_SCALE").decodeSigned(0xa433L));
        assertEquals(0x9058, map.address(Unit.SDP, "D_DP_BS_CFG_0"));
        assertEquals(0xb058, HardwareConfig.NV_LARGE.registerMap().address(Unit.SDP, "D_DP_BS_CFG_0"));
        RegisterSpec bs = map.register(Unit.SDP, "D_DP_BS_CFG_0");
        assertEquals(0x73L, bs.resetValue(), "BS_BYPASS, ALU_BYPASS, MUL_BYPASS, MUL_PRELU, RELU_BYPASS reset to 1");
        assertThrows(IllegalArgumentException.class, () -> scale.encode(Map.of("CVT_SCALE", 70000L)));
        assertThrows(IllegalArgumentException.class, () -> scale.encode(Map.of("NO_SUCH_FIELD", 1L)));
        assertEquals(map.register(Unit.SDP, "D_CVT_SCALE_0"), map.findByTraceName("NVDLA_SDP.D_CVT_SCALE_0").orElseThrow());
        assertEquals(map.register(Unit.SDP, "D_CVT_SHIFT_0"), map.findByAddress(0x90c8).orElseThrow());
    }
}
