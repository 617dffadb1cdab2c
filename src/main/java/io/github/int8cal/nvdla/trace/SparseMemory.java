package io.github.int8cal.nvdla.trace;

import java.util.HashMap;
import java.util.Map;

/**
 * The trace's primary memory (DBB): a sparse 64-bit byte-addressed space where every byte never
 * written reads as 0 ({@code mem_init(..., ALL_ZERO)} semantics and the UVM memory model's default).
 */
public final class SparseMemory {

    private static final int PAGE_BITS = 16;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final long OFFSET_MASK = PAGE_SIZE - 1;

    private final Map<Long, byte[]> pages = new HashMap<>();

    public int read(long address) {
        byte[] page = pages.get(address >>> PAGE_BITS);
        return page == null ? 0 : page[(int) (address & OFFSET_MASK)] & 0xff;
    }

    /** Signed int8 at {@code address}. */
    public int readInt8(long address) {
        return (byte) read(address);
    }

    /** Signed little-endian int16 at {@code address}. */
    public int readInt16(long address) {
        return (short) (read(address) | read(address + 1) << 8);
    }

    public void write(long address, int value) {
        pages.computeIfAbsent(address >>> PAGE_BITS, p -> new byte[PAGE_SIZE])[(int) (address & OFFSET_MASK)] =
                (byte) value;
    }

    public void write(long address, byte[] data) {
        for (int i = 0; i < data.length; i++) {
            write(address + i, data[i]);
        }
    }

    /** Sets {@code [base, base + size)} to 0. */
    public void zero(long base, long size) {
        for (long a = base; a < base + size; a++) {
            byte[] page = pages.get(a >>> PAGE_BITS);
            if (page == null) {
                a = ((a >>> PAGE_BITS) + 1 << PAGE_BITS) - 1;       // skip the untouched page
                continue;
            }
            page[(int) (a & OFFSET_MASK)] = 0;
        }
    }

    /** A copy of {@code [base, base + size)}. */
    public byte[] read(long base, int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = (byte) read(base + i);
        }
        return out;
    }
}
