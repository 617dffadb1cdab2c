package io.github.int8cal.emit;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.calib.Int8Scale;
import io.github.int8cal.stats.TrtCacheHeader;
import java.util.List;

/**
 * Writes a TensorRT calibration cache: the header line, then {@code <name>: <hex>} per tensor in
 * table order, hex = lowercase 8-digit big-endian float32 bits of the scale, {@code \n} after every
 * line, no blank lines (docs/calibration.md#tensorrt-cache-format).
 */
public final class TrtCacheWriter {

    public String write(TrtCacheHeader header, List<CalibratedTensor> tensors) {
        StringBuilder sb = new StringBuilder(32 + tensors.size() * 48);
        sb.append(header.line()).append('\n');
        for (CalibratedTensor t : tensors) {
            sb.append(t.name()).append(": ").append(Int8Scale.hex(t.scale())).append('\n');
        }
        return sb.toString();
    }

    /**
     * The header to write. With neither {@code version} nor {@code algorithm} given, an imported
     * cache's header is kept verbatim (including the legacy {@code 1}), since TensorRT ignores a
     * cache whose header does not match the consumer. Otherwise each missing part comes from the
     * imported header if it has one, else the default ({@code 8601}, {@code EntropyCalibration2}).
     *
     * @param imported  the header of an imported cache, or {@code null}
     * @param version   requested {@code NV_TENSORRT_VERSION} digits, or {@code null}
     * @param algorithm requested calibrator name, or {@code null}
     */
    public static TrtCacheHeader header(TrtCacheHeader imported, String version, String algorithm) {
        if (version == null && algorithm == null && imported != null) {
            return imported;
        }
        String v = version != null ? version
                : imported != null && imported.version() != null ? imported.version() : TrtCacheHeader.DEFAULT_VERSION;
        String a = algorithm != null ? algorithm
                : imported != null && imported.algorithm() != null ? imported.algorithm()
                        : TrtCacheHeader.DEFAULT_ALGORITHM;
        return TrtCacheHeader.of(v, a);
    }
}
