package io.github.int8cal.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A tensor shape, outermost dimension first (NCHW for images); every dimension is known and positive. */
public record Shape(List<Long> dims) {

    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(long... dims) {
        return new Shape(Arrays.stream(dims).boxed().toList());
    }

    public int rank() {
        return dims.size();
    }

    public long dim(int axis) {
        return dims.get(axis);
    }

    /** Product of all dimensions (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** A copy with one dimension replaced. */
    public Shape with(int axis, long value) {
        List<Long> copy = new ArrayList<>(dims);
        copy.set(axis, value);
        return new Shape(copy);
    }

    /** {@code 1x20x24x24}; a scalar prints as {@code scalar}. */
    @Override
    public String toString() {
        return dims.isEmpty() ? "scalar" : dims.stream().map(String::valueOf).collect(Collectors.joining("x"));
    }
}
