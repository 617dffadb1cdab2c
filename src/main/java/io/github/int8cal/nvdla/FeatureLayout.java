package io.github.int8cal.nvdla;

/**
 * NVDLA feature-data layout in memory (docs/nvdla-arithmetic.md#feature-data): atoms of {@code atom} channels,
 * order C' (within atom) -> W -> H -> C (surfaces). Element (c, y, x) of {@code bytesPerElement}
 * bytes lives at {@code (c/atom)*surfaceStride + y*lineStride + (x*atom + c%atom)*bytesPerElement}
 * from the cube's base. SDP per-element operands use the same layout with wider elements.
 */
public record FeatureLayout(int atom, long lineStride, long surfaceStride, int bytesPerElement) {

    public FeatureLayout {
        if (atom < 1 || bytesPerElement < 1) {
            throw new IllegalArgumentException("atom and element size must be >= 1");
        }
    }

    /** A packed int8 cube: lines and surfaces follow each other without gaps. */
    public static FeatureLayout packed(int atom, int width, int height) {
        long line = (long) width * atom;
        return new FeatureLayout(atom, line, line * height, 1);
    }

    /** Byte offset of element (c, y, x) from the cube base. */
    public long offset(int c, int y, int x) {
        return (c / atom) * surfaceStride + y * lineStride + ((long) x * atom + c % atom) * bytesPerElement;
    }

    /** Channels rounded up to whole atoms: the lanes the hardware reads and writes. */
    public int lanes(int channels) {
        return (channels + atom - 1) / atom * atom;
    }
}
