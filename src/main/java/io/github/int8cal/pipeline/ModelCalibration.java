package io.github.int8cal.pipeline;

import io.github.int8cal.calib.AbsHistogram;
import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.calib.CalibrationChoice;
import io.github.int8cal.calib.CalibrationTable;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.model.ModelReader;
import io.github.int8cal.model.NvdlaTableKeys;
import io.github.int8cal.model.ScaleUnification;
import io.github.int8cal.model.StatisticsKeys;
import io.github.int8cal.model.TableKey;
import io.github.int8cal.model.TensorRtNames;
import io.github.int8cal.model.TrtName;
import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.problems.Problems;
import io.github.int8cal.stats.Statistics;
import io.github.int8cal.stats.TensorStatistics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The model-aware steps of a calibrate run: key the statistics by the model's tensors, calibrate
 * one row per model tensor, give tensors that NVDLA runs at one scale one amax, and name each table
 * the way its consumer looks it up ({@link NvdlaTableKeys} for {@code calibtable.json},
 * {@link TensorRtNames} for {@code calibration.cache}).
 */
final class ModelCalibration {

    private final Graph graph;
    private final BuildLog log;

    private ModelCalibration(Graph graph, BuildLog log) {
        this.graph = graph;
        this.log = log;
    }

    /** Reads the model; a Caffe model without weights is enough for every table. */
    static ModelCalibration read(CalibrateRequest request, BuildLog log) throws ProblemException {
        Path model = request.model();
        Path weights = request.weights();
        boolean onnx = model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
        if (onnx && weights != null) {
            log.debug("nvdla-int8: weights " + weights + " ignored: an ONNX model carries its own weights");
            weights = null;
        }
        Graph graph = ModelReader.read(model, weights);
        if (graph.format() == ModelFormat.CAFFE && weights == null) {
            log.info("nvdla-int8: no weights given for " + model.getFileName() + ": the tables need none (names,"
                    + " shapes and scale unification come from the prototxt), but NVDLA registers do, so"
                    + " registers.json is skipped; set <weights> to the .caffemodel to plan the registers and check"
                    + " the weights against the prototxt");
        }
        return new ModelCalibration(graph, log);
    }

    Graph graph() {
        return graph;
    }

    /** Statistics keyed by the model: every statistics key resolved, one entry per model tensor. */
    record Keyed(Statistics statistics, StatisticsKeys.Naming naming, Map<String, Float> importedConstants) {
    }

    /**
     * Resolves the statistics keys against the model and renames every entry to its model tensor.
     * Tensors without statistics and keys matching nothing fail together.
     */
    Keyed key(Statistics statistics, StatisticsKeys.Naming naming) throws ProblemException {
        Map<String, TensorStatistics> byKey = new LinkedHashMap<>();
        for (TensorStatistics t : statistics.tensors()) {
            byKey.put(t.name(), t);
        }
        StatisticsKeys.Resolved<TensorStatistics> resolved = StatisticsKeys.resolve(graph, byKey, naming,
                statistics.source().toString());
        List<TensorStatistics> renamed = new ArrayList<>();
        resolved.byTensor().forEach((tensor, t) -> renamed.add(new TensorStatistics(tensor, t.min(), t.max(),
                t.histogram(), t.importedScale(), t.where())));
        // TensorRT's own constants (PReLU slopes) match no model tensor; keep imported scales for the cache
        Map<String, Float> constants = new LinkedHashMap<>();
        for (String key : resolved.ignored()) {
            TensorStatistics t = byKey.get(key);
            if (t != null && t.hasImportedScale()) {
                constants.put(key, t.importedScale());
            }
        }
        log.info("nvdla-int8: model " + graph.name() + " (" + graph.format().name().toLowerCase(Locale.ROOT) + ", "
                + graph.layers().size() + " layers): " + statistics.tensors().size() + " statistics entries read as "
                + resolved.naming().id() + " names, "
                + renamed.size() + " tensors" + (resolved.inherited().isEmpty() ? ""
                        : " (" + resolved.inherited().size() + " take their input's statistics: "
                                + String.join(", ", resolved.inherited()) + ")"));
        Statistics keyed = new Statistics(statistics.source(), statistics.format(), statistics.trtHeader(), renamed,
                statistics.warnings());
        return new Keyed(keyed, resolved.naming(), constants);
    }

    /**
     * Names overrides by model tensor: a model tensor name (as report.json lists it), else a
     * calibtable key, else a TensorRT cache name. Unknown names pass through so that the
     * calibrator reports them with a suggestion.
     */
    Map<String, CalibrationChoice> overridesByTensor(Map<String, CalibrationChoice> overrides)
            throws ProblemException {
        Map<String, String> tensorOfKey = new HashMap<>();
        TensorRtNames.byTensor(graph).forEach((tensor, trt) -> tensorOfKey.putIfAbsent(trt, tensor));
        NvdlaTableKeys.of(graph).forEach(k -> tensorOfKey.put(k.key(), k.tensor()));
        graph.activations().forEach(t -> tensorOfKey.put(t.name(), t.name()));

        Problems problems = new Problems();
        Map<String, CalibrationChoice> out = new LinkedHashMap<>();
        Map<String, String> givenAs = new HashMap<>();
        for (Map.Entry<String, CalibrationChoice> e : overrides.entrySet()) {
            String tensor = tensorOfKey.getOrDefault(e.getKey(), e.getKey());
            String earlier = givenAs.putIfAbsent(tensor, e.getKey());
            if (earlier != null) {
                problems.add("override '" + e.getKey() + "'", "names tensor '" + tensor + "', which override '"
                        + earlier + "' already sets; keep one");
                continue;
            }
            if (!tensor.equals(e.getKey())) {
                log.debug("nvdla-int8: override '" + e.getKey() + "' applies to model tensor '" + tensor + "'");
            }
            out.put(tensor, e.getValue());
        }
        problems.throwIfAny();
        return out;
    }

    /**
     * The calibrated rows after scale unification.
     *
     * @param rows     one row per model tensor, graph order, final amax and scale
     * @param changes  tensors whose amax was raised (unify mode)
     * @param warnings mismatches left in place (report-only mode); the run logs them
     */
    record Unified(Map<String, CalibratedTensor> rows, List<ScaleUnification.Change> changes, List<String> warnings) {
    }

    Unified unify(CalibrationTable table, Statistics keyed, boolean unifyScales) {
        Map<String, CalibratedTensor> rows = new LinkedHashMap<>();
        Map<String, Double> amax = new LinkedHashMap<>();
        // the scale belonging to each amax, so a unified tensor takes its group's scale bit for bit
        // (an imported scale's amax = scale·127 need not map back to the same float32)
        Map<Double, Float> scaleOfAmax = new HashMap<>();
        for (CalibratedTensor t : table.tensors()) {
            rows.put(t.name(), t);
            amax.put(t.name(), t.amax());
            scaleOfAmax.putIfAbsent(t.amax(), t.scale());
        }
        ScaleUnification.Result result = ScaleUnification.unify(graph, amax,
                unifyScales ? ScaleUnification.Mode.UNIFY : ScaleUnification.Mode.REPORT_ONLY);
        for (ScaleUnification.Change c : result.changes()) {
            CalibratedTensor old = rows.get(c.tensor());
            TensorStatistics s = keyed.tensor(c.tensor());
            Double clipped = old.histogramClippedFraction();
            if (s != null && s.hasHistogram() && s.absMax() > 0) {
                clipped = AbsHistogram.of(s.histogram(), s.absMax(), AbsHistogram.TRT_BINS).fractionAbove(c.newAmax());
            }
            rows.put(c.tensor(), new CalibratedTensor(old.name(), old.min(), old.max(), c.newAmax(),
                    scaleOfAmax.get(c.newAmax()), old.method(), clipped));
            log.info("nvdla-int8: tensor '" + c.tensor() + "' amax " + c.oldAmax() + " -> " + c.newAmax() + ": "
                    + c.reason());
        }
        return new Unified(rows, result.changes(), result.warnings());
    }

    /** {@code calibtable.json} rows: nvdla_compiler's keys in its lookup order. */
    List<CalibratedTensor> calibtableRows(Map<String, CalibratedTensor> rows) {
        List<CalibratedTensor> out = new ArrayList<>();
        for (TableKey k : NvdlaTableKeys.of(graph)) {
            out.add(renamed(rows.get(k.tensor()), k.key()));
        }
        return out;
    }

    /**
     * {@code calibration.cache} rows: TensorRT's names in TensorRT's order. TensorRT's own Constant
     * layers (PReLU slopes) get their imported scale when the statistics had one, else no entry.
     */
    List<CalibratedTensor> cacheRows(Map<String, CalibratedTensor> rows, Map<String, Float> importedConstants) {
        List<CalibratedTensor> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (TrtName n : TensorRtNames.of(graph)) {
            if (n.tensor() != null) {
                out.add(renamed(rows.get(n.tensor()), n.trtName()));
            } else if (importedConstants.containsKey(n.trtName())) {
                float scale = importedConstants.get(n.trtName());
                double a = (double) scale * 127.0;
                out.add(new CalibratedTensor(n.trtName(), -a, a, a, scale, "imported", null));
            } else {
                skipped.add("'" + n.trtName() + "' (slopes of PReLU '" + n.layer() + "')");
            }
        }
        if (!skipped.isEmpty()) {
            log.info("nvdla-int8: no statistics for TensorRT's own constant tensors " + String.join(", ", skipped)
                    + "; the cache has no entry for them");
        }
        return out;
    }

    /** Table names with ':' that did not already come from the statistics (whose reader warned). */
    List<Problem> colonWarnings(List<CalibratedTensor> cache, List<CalibratedTensor> calibtable, Statistics original) {
        Set<String> known = new HashSet<>();
        original.tensors().forEach(t -> known.add(t.name()));
        List<Problem> out = new ArrayList<>();
        for (List<CalibratedTensor> rows : List.of(cache, calibtable)) {
            String file = rows == cache ? CalibratePipeline.CACHE_FILE : CalibratePipeline.CALIBTABLE_FILE;
            for (CalibratedTensor t : rows) {
                if (t.name().indexOf(':') >= 0 && known.add(t.name())) {
                    out.add(new Problem(file, "name '" + t.name() + "' contains ':'; ONNX Runtime's TensorRT EP and"
                            + " NVDLA's calib_txt_to_json.py split cache lines at the first ':' and will truncate or"
                            + " drop it"));
                }
            }
        }
        return out;
    }

    private static CalibratedTensor renamed(CalibratedTensor t, String name) {
        return new CalibratedTensor(name, t.min(), t.max(), t.amax(), t.scale(), t.method(),
                t.histogramClippedFraction());
    }
}
