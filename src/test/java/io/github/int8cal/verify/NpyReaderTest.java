package io.github.int8cal.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.problems.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .npy bytes below were written by NumPy 2.4.6 ({@code numpy.save} /
 * {@code numpy.lib.format.write_array(..., version=...)}) for
 * {@code a = np.array([[1.5, -2.25, 3.0], [0.5, 4.0, -8.0]])} in the dtypes named, and printed
 * as hex; they are the independent reference for the header and data decoding.
 */
class NpyReaderTest {

    static final String F4 = "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c"
            + "20277368617065273a2028322c2033292c207d20202020202020202020202020202020202020202020202020202020202020"
            + "2020202020202020202020202020202020202020202020202020200a0000c03f000010c0000040400000003f000080400000"
            + "00c1";
    static final String BE = "934e554d5059010076007b276465736372273a20273e6634272c2027666f727472616e5f6f72646572273a2046616c73652c"
            + "20277368617065273a2028322c2033292c207d20202020202020202020202020202020202020202020202020202020202020"
            + "2020202020202020202020202020202020202020202020202020200a3fc00000c0100000404000003f00000040800000c100"
            + "0000";
    static final String FORTRAN = "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a20547275652c20"
            + "277368617065273a2028322c2033292c207d2020202020202020202020202020202020202020202020202020202020202020"
            + "2020202020202020202020202020202020202020202020202020200a0000c03f0000003f000010c000008040000040400000"
            + "00c1";
    static final String U1 = "934e554d5059010076007b276465736372273a20277c7531272c2027666f727472616e5f6f72646572273a2046616c73652c"
            + "20277368617065273a2028342c292c207d202020202020202020202020202020202020202020202020202020202020202020"
            + "2020202020202020202020202020202020202020202020202020200a007f80ff";
    static final String F8 = "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c"
            + "20277368617065273a2028322c292c207d202020202020202020202020202020202020202020202020202020202020202020"
            + "2020202020202020202020202020202020202020202020202020200a9a9999999999b93f0000000000000cc0";
    static final String V3 = "934e554d50590300740000007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73"
            + "652c20277368617065273a2028322c2033292c207d2020202020202020202020202020202020202020202020202020202020"
            + "2020202020202020202020202020202020202020202020202020200a0000c03f000010c0000040400000003f000080400000"
            + "00c1";

    static final float[] A = {1.5f, -2.25f, 3.0f, 0.5f, 4.0f, -8.0f};

    static Path file(Path dir, String name, String hex) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, HexFormat.of().parseHex(hex));
        return p;
    }

    @Test
    void readsLittleAndBigEndianFloat32InRowMajorOrder(@TempDir Path dir) throws Exception {
        NpyReader.NpyArray le = NpyReader.read(file(dir, "le.npy", F4));
        assertEquals("<f4", le.dtype());
        assertArrayEquals(new long[] {2, 3}, le.shape());
        assertArrayEquals(A, le.values());
        assertArrayEquals(A, NpyReader.read(file(dir, "be.npy", BE)).values());
    }

    @Test
    void reordersFortranOrderDataToRowMajor(@TempDir Path dir) throws Exception {
        assertArrayEquals(A, NpyReader.read(file(dir, "f.npy", FORTRAN)).values());
    }

    @Test
    void readsUint8Float64AndFormatVersion3(@TempDir Path dir) throws Exception {
        NpyReader.NpyArray u = NpyReader.read(file(dir, "u.npy", U1));
        assertArrayEquals(new long[] {4}, u.shape());
        assertArrayEquals(new float[] {0, 127, 128, 255}, u.values());
        assertTrue(u.isInteger());
        assertArrayEquals(new float[] {0.1f, -3.5f}, NpyReader.read(file(dir, "d.npy", F8)).values());
        assertArrayEquals(A, NpyReader.read(file(dir, "v3.npy", V3)).values());
    }

    @Test
    void rejectsOtherDtypesNamingTheFileAndTheDtype(@TempDir Path dir) throws Exception {
        String i8 = F4.replace("273c6634", "273c6938"); // '<f4' -> '<i8'
        Path p = file(dir, "ints.npy", i8);
        ProblemException e = assertThrows(ProblemException.class, () -> NpyReader.read(p));
        assertEquals(p + ": expected dtype float32 ('<f4'), float64 ('<f8') or uint8 ('|u1'), got '<i8'; convert"
                + " with array.astype(numpy.float32)", e.getMessage());
    }

    @Test
    void rejectsTruncatedDataAndForeignFiles(@TempDir Path dir) throws Exception {
        Path cut = file(dir, "cut.npy", F4.substring(0, F4.length() - 8));
        ProblemException e = assertThrows(ProblemException.class, () -> NpyReader.read(cut));
        assertEquals(cut + ": expected 24 bytes of <f4 data for shape (2, 3), got 20 (file truncated?)",
                e.getMessage());
        Path text = dir.resolve("x.npy");
        Files.writeString(text, "1.0, 2.0, 3.0\n");
        ProblemException t = assertThrows(ProblemException.class, () -> NpyReader.read(text));
        assertTrue(t.getMessage().startsWith(text + ": expected a NumPy .npy file"), t.getMessage());
    }

    @Test
    void fortranToCMatchesIndexArithmeticFor3d() {
        long[] shape = {2, 3, 4};
        float[] f = new float[24];
        // element (i, j, k) stored at i + 2*j + 6*k in column-major order, value 100i + 10j + k
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    f[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
                }
            }
        }
        float[] c = NpyReader.fortranToC(f, shape);
        assertEquals(0f, c[0]);
        assertEquals(3f, c[3]);
        assertEquals(10f, c[4]);
        assertEquals(123f, c[23]);
        assertTrue(Arrays.equals(c, NpyReader.fortranToC(f, shape)));
    }
}
