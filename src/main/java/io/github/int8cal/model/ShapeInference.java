package io.github.int8cal.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Output shapes of every supported op, from input shapes and canonical attributes (see {@link Op}).
 * Throws {@link IllegalArgumentException} with a sentence the readers put after the layer's name.
 */
public final class ShapeInference {

    private ShapeInference() {
    }

    public static Shape infer(Op op, Attributes a, List<Shape> in) {
        Shape x = in.get(0);
        return switch (op) {
            case CONVOLUTION -> convolution(x, a);
            case INNER_PRODUCT -> innerProduct(x, a);
            case BATCH_NORM, SCALE, BIAS, RELU, PRELU, CLIP, SOFTMAX, DROPOUT -> x;
            case POOLING -> pooling(x, a);
            case ELTWISE -> eltwise(in);
            case CONCAT -> concat(in, (int) a.getLong("axis", 1));
            case FLATTEN -> flatten(x, a);
            case RESHAPE -> reshape(x, a.getLongs("shape"), (int) a.getLong("axis", 0),
                    (int) a.getLong("num_axes", -1), a.getBoolean("allowzero", false));
        };
    }

    static Shape convolution(Shape x, Attributes a) {
        requireRank(x, 4, "Convolution");
        List<Long> k = a.getLongs("kernel");
        List<Long> s = a.getLongs("stride");
        List<Long> p = a.getLongs("pads");
        List<Long> d = a.getLongs("dilation");
        long group = a.getLong("group", 1);
        long channels = x.dim(1);
        if (group < 1 || channels % group != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "group %d does not divide the %d input channels", group, channels));
        }
        long oh = convolutionOutputSize(x.dim(2), k.get(0), s.get(0), p.get(0), p.get(2), d.get(0));
        long ow = convolutionOutputSize(x.dim(3), k.get(1), s.get(1), p.get(1), p.get(3), d.get(1));
        return Shape.of(x.dim(0), a.getLong("num_output", 0), oh, ow);
    }

    /** {@code floor((in + padBegin + padEnd - (dilation*(kernel-1)+1)) / stride) + 1}, which must be ≥ 1. */
    public static long convolutionOutputSize(long in, long kernel, long stride, long padBegin, long padEnd,
            long dilation) {
        long extent = dilation * (kernel - 1) + 1;
        long span = in + padBegin + padEnd - extent;
        if (kernel < 1 || stride < 1 || dilation < 1 || span < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "kernel %d (dilation %d, stride %d) does not fit input size %d with padding %d+%d",
                    kernel, dilation, stride, in, padBegin, padEnd));
        }
        return Math.floorDiv(span, stride) + 1;
    }

    /**
     * Pooled size. Floor mode: as convolution. Ceil mode (Caffe's only mode before round_mode, and
     * ONNX ceil_mode=1): {@code ceil((in + padBegin + padEnd - kernel) / stride) + 1}, minus one when
     * the last window would start inside the end padding — Caffe's pooling_layer.cpp rule
     * {@code if ((pooled - 1) * stride >= in + padBegin) --pooled}, which ONNX Runtime and PyTorch share.
     */
    public static long poolingOutputSize(long in, long kernel, long stride, long padBegin, long padEnd,
            boolean ceilMode) {
        long span = in + padBegin + padEnd - kernel;
        if (kernel < 1 || stride < 1 || span < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "pooling kernel %d (stride %d) does not fit input size %d with padding %d+%d",
                    kernel, stride, in, padBegin, padEnd));
        }
        if (!ceilMode) {
            return Math.floorDiv(span, stride) + 1;
        }
        long pooled = Math.floorDiv(span + stride - 1, stride) + 1;
        if ((padBegin > 0 || padEnd > 0) && (pooled - 1) * stride >= in + padBegin) {
            pooled--;
        }
        return pooled;
    }

    static Shape pooling(Shape x, Attributes a) {
        requireRank(x, 4, "Pooling");
        if (a.getBoolean("global", false)) {
            return Shape.of(x.dim(0), x.dim(1), 1, 1);
        }
        List<Long> k = a.getLongs("kernel");
        List<Long> s = a.getLongs("stride");
        List<Long> p = a.getLongs("pads");
        boolean ceil = a.getBoolean("ceil_mode", false);
        return Shape.of(x.dim(0), x.dim(1),
                poolingOutputSize(x.dim(2), k.get(0), s.get(0), p.get(0), p.get(2), ceil),
                poolingOutputSize(x.dim(3), k.get(1), s.get(1), p.get(1), p.get(3), ceil));
    }

    static Shape innerProduct(Shape x, Attributes a) {
        int axis = normalizeAxis((int) a.getLong("axis", 1), x.rank(), "InnerProduct");
        List<Long> out = new ArrayList<>(x.dims().subList(0, axis));
        out.add(a.getLong("num_output", 0));
        return new Shape(out);
    }

    static Shape eltwise(List<Shape> in) {
        for (Shape s : in) {
            if (!s.equals(in.get(0))) {
                throw new IllegalArgumentException("element-wise inputs must have the same shape, got "
                        + in.stream().map(Shape::toString).toList() + " (broadcasting between activations is not supported)");
            }
        }
        return in.get(0);
    }

    static Shape concat(List<Shape> in, int rawAxis) {
        Shape first = in.get(0);
        int axis = normalizeAxis(rawAxis, first.rank(), "Concat");
        long sum = 0;
        for (Shape s : in) {
            boolean ok = s.rank() == first.rank();
            for (int i = 0; ok && i < s.rank(); i++) {
                ok = i == axis || s.dim(i) == first.dim(i);
            }
            if (!ok) {
                throw new IllegalArgumentException("concat inputs differ outside axis " + axis + ": "
                        + in.stream().map(Shape::toString).toList());
            }
            sum += s.dim(axis);
        }
        return first.with(axis, sum);
    }

    /** Caffe semantics (axis..end_axis collapse); {@code collapse_leading} adds ONNX's 2-D result. */
    static Shape flatten(Shape x, Attributes a) {
        if (a.getBoolean("collapse_leading", false)) {
            int axis = (int) a.getLong("axis", 1);
            if (axis < 0) {
                axis += x.rank();
            }
            if (axis < 0 || axis > x.rank()) {
                throw new IllegalArgumentException("Flatten axis " + a.getLong("axis", 1) + " out of range for " + x);
            }
            long lead = 1;
            for (int i = 0; i < axis; i++) {
                lead *= x.dim(i);
            }
            long rest = 1;
            for (int i = axis; i < x.rank(); i++) {
                rest *= x.dim(i);
            }
            return Shape.of(lead, rest);
        }
        int start = normalizeAxis((int) a.getLong("axis", 1), x.rank(), "Flatten");
        int end = normalizeAxis((int) a.getLong("end_axis", -1), x.rank(), "Flatten");
        if (end < start) {
            throw new IllegalArgumentException("Flatten end_axis " + end + " is before axis " + start);
        }
        List<Long> out = new ArrayList<>(x.dims().subList(0, start));
        long n = 1;
        for (int i = start; i <= end; i++) {
            n *= x.dim(i);
        }
        out.add(n);
        out.addAll(x.dims().subList(end + 1, x.rank()));
        return new Shape(out);
    }

    /**
     * Caffe Reshape (ONNX Reshape is axis 0, num_axes -1): dims from {@code axis} to {@code axis+num_axes}
     * are replaced by {@code spec}, where 0 copies the input dimension at that position (unless ONNX
     * allowzero) and one -1 is inferred from the element count.
     */
    public static Shape reshape(Shape x, List<Long> spec, int axis, int numAxes, boolean allowZero) {
        int start = axis < 0 ? axis + x.rank() + 1 : axis;
        int end = numAxes == -1 ? x.rank() : start + numAxes;
        if (start < 0 || start > x.rank() || end < start || end > x.rank()) {
            throw new IllegalArgumentException("Reshape axis " + axis + " / num_axes " + numAxes + " out of range for " + x);
        }
        List<Long> out = new ArrayList<>(x.dims().subList(0, start));
        int inferred = -1;
        for (int i = 0; i < spec.size(); i++) {
            long d = spec.get(i);
            if (d == 0 && !allowZero) {
                if (start + i >= x.rank()) {
                    throw new IllegalArgumentException("Reshape dim " + i + " is 0 (copy) but the input " + x + " has no such axis");
                }
                d = x.dim(start + i);
            } else if (d == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("Reshape shape " + spec + " has more than one -1");
                }
                inferred = out.size();
            } else if (d < 0) {
                throw new IllegalArgumentException("Reshape shape " + spec + " has a negative dimension");
            }
            out.add(d);
        }
        out.addAll(x.dims().subList(end, x.rank()));
        if (inferred >= 0) {
            long known = 1;
            for (int i = 0; i < out.size(); i++) {
                if (i != inferred) {
                    known *= out.get(i);
                }
            }
            if (known == 0 || x.elementCount() % known != 0) {
                throw new IllegalArgumentException("Reshape cannot infer -1 in " + spec + " from " + x);
            }
            out.set(inferred, x.elementCount() / known);
        }
        Shape result = new Shape(out);
        if (result.elementCount() != x.elementCount()) {
            throw new IllegalArgumentException("Reshape to " + result + " changes the element count of " + x);
        }
        return result;
    }

    static int normalizeAxis(int axis, int rank, String what) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(what + " axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    private static void requireRank(Shape x, int rank, String what) {
        if (x.rank() != rank) {
            throw new IllegalArgumentException(what + " needs a rank-" + rank + " (NCHW) input, got " + x);
        }
    }
}
