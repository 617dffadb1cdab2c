package io.github.int8cal.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonFloatReprTest {

    /** python-float-repr.txt: Python 3.11 repr() of 5,620 doubles (generator script alongside it). */
    @Test
    void matchesPythonReprOnGeneratedVectors() throws Exception {
        List<String> mismatches = new ArrayList<>();
        int count = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("python-float-repr.txt"), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                double value = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, sp), 16));
                String expected = line.substring(sp + 1);
                String actual = PythonFloatRepr.repr(value);
                if (!expected.equals(actual)) {
                    mismatches.add(line + " -> " + actual);
                }
                count++;
            }
        }
        assertEquals(5620, count);
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches, e.g. " + mismatches.subList(0,
                Math.min(10, mismatches.size())));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.1892666816711426|1.1892666816711426", "0.007845180109143257|0.007845180109143257", "1e-05|1e-05",
        "1e16|1e+16", "1e15|1000000000000000.0", "0.0001|0.0001", "1.0|1.0", "-2.5e-7|-2.5e-07", "0.1|0.1",
        "123456789012345678|1.2345678901234568e+17", "5e-324|5e-324", "-0.0|-0.0", "0|0.0"})
    void formatsLikePython(double value, String python) {
        assertEquals(python, PythonFloatRepr.repr(value));
    }

    @Test
    void formatsSpecials() {
        assertEquals("inf", PythonFloatRepr.repr(Double.POSITIVE_INFINITY));
        assertEquals("-inf", PythonFloatRepr.repr(Double.NEGATIVE_INFINITY));
        assertEquals("nan", PythonFloatRepr.repr(Double.NaN));
    }

    @Test
    void widensFloat32LikeNumpy() {
        // python: repr(float(np.float32(0.1))) == '0.10000000149011612'
        assertEquals("0.10000000149011612", PythonFloatRepr.repr(0.1f));
    }
}
