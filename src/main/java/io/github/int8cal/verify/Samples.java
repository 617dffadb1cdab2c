package io.github.int8cal.verify;

import io.github.int8cal.model.Graph;
import io.github.int8cal.model.Shape;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.problems.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Verification samples from a directory of {@code .npy} files, read in file-name order.
 *
 * <p>Layout: for a model input of shape {@code [B, d1, ..., dk]}, a file holds one item of shape
 * {@code (d1, ..., dk)}, or a batch of items of shape {@code (n, d1, ..., dk)} (so a sample saved
 * with the model's own shape {@code (1, d1, ..., dk)} works too); B consecutive items form one
 * sample. With several model inputs, each file is matched to the input of its per-item shape; when
 * inputs share a shape, the file name must start with the input's name. float32/float64 files are
 * model inputs as they are; uint8/int8 files are raw pixels, converted with the planner's input
 * recipe {@code x = (p - mean) * normalize}. All problems are collected and reported together.
 */
public final class Samples {

    private Samples() {
    }

    /**
     * @param maxSamples at most this many samples (the first ones in file order); {@code <= 0} for all
     * @return one map per sample, network input name to tensor in the input's shape
     */
    public static List<Map<String, FloatTensor>> load(Path dir, Graph graph, int maxSamples, float mean,
            float normalize) throws ProblemException {
        if (!Files.isDirectory(dir)) {
            throw new ProblemException(dir.toString(), "expected a directory of .npy sample files, got "
                    + (Files.exists(dir) ? "a file" : "nothing (it does not exist)"));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".npy") && Files.isRegularFile(p))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new ProblemException(dir.toString(), "cannot list the directory: " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new ProblemException(dir.toString(), "expected .npy sample files (numpy.save), found none");
        }
        List<String> inputs = graph.inputs();
        Map<String, List<float[]>> items = new LinkedHashMap<>();
        inputs.forEach(i -> items.put(i, new ArrayList<>()));
        Problems problems = new Problems();
        for (Path file : files) {
            NpyReader.NpyArray a;
            try {
                a = NpyReader.read(file);
            } catch (ProblemException e) {
                problems.addAll(e.problems());
                continue;
            }
            List<String> matches = new ArrayList<>();
            for (String in : inputs) {
                if (itemCount(a.shape(), itemShape(graph.tensor(in).shape())) >= 0) {
                    matches.add(in);
                }
            }
            if (matches.size() > 1) {
                String name = file.getFileName().toString();
                matches = matches.stream().filter(name::startsWith).toList();
            }
            if (matches.size() != 1) {
                problems.add(file.toString(), "expected an array of shape " + expectedText(graph)
                        + (inputs.size() > 1 ? " (inputs sharing a shape: start the file name with the input name)"
                                : "") + ", got " + a.shapeText());
                continue;
            }
            String in = matches.get(0);
            long[] item = itemShape(graph.tensor(in).shape());
            int n = itemCount(a.shape(), item);
            int per = a.values().length / Math.max(1, n);
            for (int i = 0; i < n; i++) {
                float[] v = Arrays.copyOfRange(a.values(), i * per, (i + 1) * per);
                if (a.isInteger()) {
                    for (int j = 0; j < v.length; j++) {
                        v[j] = (v[j] - mean) * normalize;
                    }
                }
                items.get(in).add(v);
            }
        }
        problems.throwIfAny();
        int samples = Integer.MAX_VALUE;
        for (String in : inputs) {
            int batch = (int) graph.tensor(in).shape().dim(0);
            int have = items.get(in).size();
            if (have % batch != 0) {
                problems.add(dir.toString(), "input '" + in + "' has batch " + batch + " but the files hold " + have
                        + " items, not a multiple of it");
            }
            samples = Math.min(samples, have / batch);
            if (have == 0) {
                problems.add(dir.toString(), "no sample file matches input '" + in + "' (shape "
                        + graph.tensor(in).shape() + ")");
            }
        }
        for (String in : inputs) {
            int have = items.get(in).size() / (int) graph.tensor(in).shape().dim(0);
            if (have != samples && samples > 0) {
                problems.add(dir.toString(), "inputs have different sample counts: '" + in + "' has " + have
                        + ", expected " + samples + " like the others");
            }
        }
        problems.throwIfAny();
        if (maxSamples > 0) {
            samples = Math.min(samples, maxSamples);
        }
        List<Map<String, FloatTensor>> out = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            Map<String, FloatTensor> sample = new LinkedHashMap<>();
            for (String in : inputs) {
                Shape shape = graph.tensor(in).shape();
                int batch = (int) shape.dim(0);
                float[] data = new float[Math.toIntExact(shape.elementCount())];
                int per = data.length / batch;
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(items.get(in).get(s * batch + b), 0, data, b * per, per);
                }
                sample.put(in, new FloatTensor(shape, data));
            }
            out.add(sample);
        }
        return out;
    }

    /** The model input's shape without its batch dimension. */
    static long[] itemShape(Shape input) {
        return input.dims().subList(1, input.rank()).stream().mapToLong(Long::longValue).toArray();
    }

    /** How many items an array of {@code shape} holds: 1 for {@code item}, n for {@code (n, item...)}; -1 if neither. */
    static int itemCount(long[] shape, long[] item) {
        if (Arrays.equals(shape, item)) {
            return 1;
        }
        if (shape.length == item.length + 1 && Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), item)
                && shape[0] <= Integer.MAX_VALUE) {
            return (int) shape[0];
        }
        return -1;
    }

    private static String expectedText(Graph graph) {
        List<String> options = new ArrayList<>();
        for (String in : graph.inputs()) {
            long[] item = itemShape(graph.tensor(in).shape());
            options.add(NpyReader.shapeText(item) + " or (n, " + NpyReader.shapeText(item).substring(1)
                    + (graph.inputs().size() > 1 ? " for '" + in + "'" : ""));
        }
        return String.join("; ", options);
    }
}
