package io.github.int8cal.model;

import io.github.int8cal.model.caffe.CaffeReader;
import io.github.int8cal.model.onnx.OnnxReader;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Path;
import java.util.Locale;

/** Entry point for the pipeline: reads a model by its file extension. */
public final class ModelReader {

    private ModelReader() {
    }

    /**
     * @param model   {@code .onnx}, or a Caffe {@code .prototxt} / {@code .pt}
     * @param weights Caffe {@code .caffemodel}, or {@code null} (naming and unification need none);
     *                must be {@code null} for ONNX, whose weights are inside the file
     */
    public static Graph read(Path model, Path weights) throws ProblemException {
        String name = model.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) {
            if (weights != null) {
                throw new ProblemException(weights.toString(), "an ONNX model carries its weights; "
                        + "give no separate weights file");
            }
            return new OnnxReader().read(model);
        }
        if (name.endsWith(".prototxt") || name.endsWith(".pt")) {
            return new CaffeReader().read(model, weights);
        }
        throw new ProblemException(model.toString(), "unknown model type; expected a .onnx file or a Caffe "
                + ".prototxt (with an optional .caffemodel)");
    }
}
