package io.github.int8cal.nvdla.datapath;

/** SDP ALU algorithm field ({@code *_ALU_ALGO}): MAX=0, MIN=1, SUM=2, EQL=3. */
public enum AluAlgo {
    MAX, MIN, SUM, EQL;

    public static AluAlgo ofField(long bits) {
        return values()[(int) (bits & 3)];
    }
}
