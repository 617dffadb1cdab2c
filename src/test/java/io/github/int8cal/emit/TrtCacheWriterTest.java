package io.github.int8cal.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.stats.TrtCacheHeader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrtCacheWriterTest {

    @Test
    void keepsAnImportedHeaderVerbatimIncludingLegacyOne() {
        TrtCacheHeader legacy = new TrtCacheHeader("1");
        assertEquals("1", TrtCacheWriter.header(legacy, null, null).line());
        TrtCacheHeader minmax = new TrtCacheHeader("TRT-8602-MinMaxCalibration");
        assertEquals("TRT-8602-MinMaxCalibration", TrtCacheWriter.header(minmax, null, null).line());
    }

    @Test
    void fillsMissingPartsFromTheImportedHeaderThenDefaults() {
        TrtCacheHeader minmax = new TrtCacheHeader("TRT-8602-MinMaxCalibration");
        assertEquals("TRT-8602-EntropyCalibration2", TrtCacheWriter.header(minmax, null, "EntropyCalibration2").line());
        assertEquals("TRT-100300-MinMaxCalibration", TrtCacheWriter.header(minmax, "100300", null).line());
        assertEquals("TRT-7103-EntropyCalibration2", TrtCacheWriter.header(new TrtCacheHeader("1"), "7103", null).line());
        assertEquals("TRT-8601-EntropyCalibration2", TrtCacheWriter.header(null, null, null).line());
    }

    @Test
    void writesLowercasePaddedBigEndianBitsWithNewlineAfterEveryLine() {
        List<CalibratedTensor> rows = List.of(
                new CalibratedTensor("(Unnamed Layer* 0) [Convolution]_output", 0, 0, 0, 0f, "imported", null),
                new CalibratedTensor("onnx::Div_306_output", 0, 0, 0, 6.530066967010498f, "imported", null));
        // python: struct.pack('>f', 6.530066967010498).hex() == '40d0f64f'
        assertEquals("TRT-8601-EntropyCalibration2\n(Unnamed Layer* 0) [Convolution]_output: 00000000\n"
                + "onnx::Div_306_output: 40d0f64f\n", new TrtCacheWriter().write(TrtCacheHeader.defaults(), rows));
    }
}
