package io.github.int8cal.report;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.verify.LayerMetrics;
import io.github.int8cal.verify.VerificationReport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code report.json} says, as values: the calibrated tensors, and with a model the
 * model section (layers, scale changes, warnings, registers, verification). {@link ReportWriter}
 * turns it into the file; nothing else decides what the report contains.
 *
 * @param tensors every calibrated tensor, table order
 * @param model   {@code null} for a run without a model
 */
public record ReportModel(List<CalibratedTensor> tensors, ModelReport model) {

    public ReportModel {
        tensors = List.copyOf(tensors);
    }

    /**
     * What the report says about the model.
     *
     * @param path         the model file as given
     * @param format       {@code onnx} or {@code caffe}
     * @param weights      the weights file as given, or {@code null}
     * @param registers      what register planning did, or {@code null} without planning
     * @param verification   the INT8 verification, or {@code null} when it did not run
     * @param tensorRuns     tensor -> the scale it runs at in the plan (empty without registers)
     * @param modeComparison compiler against precise mode, or {@code null} when they run the same scales
     */
    public record ModelReport(String path, String format, String name, String weights, List<LayerEntry> layers,
            List<ScaleChange> scaleChanges, List<String> warnings, RegistersReport registers,
            VerificationSection verification, Map<String, TensorRun> tensorRuns, ModeComparison modeComparison) {
        public ModelReport {
            layers = List.copyOf(layers);
            scaleChanges = List.copyOf(scaleChanges);
            warnings = List.copyOf(warnings);
            tensorRuns = Collections.unmodifiableMap(new LinkedHashMap<>(tensorRuns));
        }
    }

    /**
     * The scale a tensor really runs at in the planned network.
     *
     * @param runScale            what its producer requantizes to and its readers read it at (null:
     *                            the plan gives it none)
     * @param overwrittenBySum    the element-wise layer whose equalization set it (compiler mode), or null
     * @param overwrittenByTensor the tensor whose scale it took, or null
     */
    public record TensorRun(Float runScale, String overwrittenBySum, String overwrittenByTensor) {
    }

    /**
     * One layer: what it computes and the scale of every activation it reads and writes.
     *
     * @param op           our op ({@code CONVOLUTION}, ...); {@code type} is the file's spelling
     * @param inputScales  input tensor to its float32 scale, in input order
     * @param outputScales output tensor to its float32 scale, in output order
     * @param plan         its place in the hardware plan, or {@code null}
     */
    public record LayerEntry(String name, String op, String type, List<String> inputs, List<String> outputs,
            List<Long> outputShape, Map<String, Float> inputScales, Map<String, Float> outputScales, LayerPlan plan) {
        public LayerEntry {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            outputShape = List.copyOf(outputShape);
            inputScales = Collections.unmodifiableMap(new LinkedHashMap<>(inputScales));
            outputScales = Collections.unmodifiableMap(new LinkedHashMap<>(outputScales));
        }
    }

    /** A tensor whose amax was raised to the shared amax of the tensors NVDLA runs at one scale. */
    public record ScaleChange(String tensor, double oldAmax, double newAmax, String reason) {
    }

    /**
     * What register planning did.
     *
     * @param file                     {@code registers.json} as packaged, or {@code null} when skipped
     * @param skipped                  why no registers were planned, or {@code null}
     * @param worstRelativeError       largest |relative error| of any multiplier in this run's mode, or {@code null}
     * @param worstRelativeErrorByMode the same figure for each mode (name -> value)
     * @param diagnostics              every finding, network-level first, then per hardware layer
     */
    public record RegistersReport(String mode, String weightQuantization, String inputFormat, String hardware,
            String file, String skipped, Double worstRelativeError, Map<String, Double> worstRelativeErrorByMode,
            List<DiagnosticEntry> diagnostics) {
        public RegistersReport {
            worstRelativeErrorByMode = Collections.unmodifiableMap(new LinkedHashMap<>(worstRelativeErrorByMode));
            diagnostics = List.copyOf(diagnostics);
        }
    }

    /** One planner finding ({@code code} and {@code severity} as the planner names them). */
    public record DiagnosticEntry(String layer, String code, String severity, String message) {
    }

    /**
     * A layer's place in the hardware plan.
     *
     * @param hardwareLayer            the hardware layer this graph layer is part of
     * @param requant                  its requantization, only on the layer that names the hardware layer
     * @param eltwise                  the fused element-wise sum's requantization, or null
     * @param worstRelativeErrorByMode the hardware layer's worst |relative error| per mode (only on the naming layer)
     * @param explain                  the derivation, only on the naming layer (else null)
     */
    public record LayerPlan(String hardwareLayer, Requant requant, Requant eltwise,
            Map<String, Double> worstRelativeErrorByMode, String explain) {
        public LayerPlan {
            worstRelativeErrorByMode = Collections.unmodifiableMap(new LinkedHashMap<>(worstRelativeErrorByMode));
        }
    }

    /**
     * One requantization summary; the arrays have one entry per output channel (empty when the
     * layer could not be programmed).
     */
    public record Requant(String layer, String kind, String mode, double[] factor, int[] multiplier, int[] shift,
            double[] effective, double[] relativeError, int[] mantissaBits, double worstRelativeError) {
    }

    /**
     * Compiler against precise mode on the same network, when compiler mode overwrites some tensor's
     * scale (element-wise equalization) and the two modes therefore run different scales.
     *
     * @param reason             why the modes were compared
     * @param verifiedMode       the mode the build verified (and gated)
     * @param overwrittenTensors the tensors compiler mode moves off their calibrated scale
     * @param byMode             mode id -> its worst figures over the network, in mode order
     * @param tensors            per tensor (graph order) each mode's figures at the step writing it
     */
    public record ModeComparison(String reason, String verifiedMode, List<String> overwrittenTensors,
            Map<String, ModeSummary> byMode, List<TensorComparison> tensors) {
        public ModeComparison {
            overwrittenTensors = List.copyOf(overwrittenTensors);
            byMode = Collections.unmodifiableMap(new LinkedHashMap<>(byMode));
            tensors = List.copyOf(tensors);
        }
    }

    /** One mode's worst SQNR and most clipping, with the layers where they occur (null where none). */
    public record ModeSummary(Double worstSqnrDb, String worstSqnrLayer, Double maxClippedFraction,
            String maxClippedLayer) {
    }

    /** One tensor in both modes: mode id -> the figures at the step writing it, or null where none does. */
    public record TensorComparison(String tensor, Map<String, StepFigures> byMode) {
        public TensorComparison {
            byMode = Collections.unmodifiableMap(new LinkedHashMap<>(byMode));
        }
    }

    /** The SQNR and clipping of the step {@code layer} writing a tensor. */
    public record StepFigures(String layer, Double sqnrDb, Double clippedFraction) {
    }

    /**
     * The INT8 verification.
     *
     * @param result  the pass's result: metrics of every step, outputs, violations
     * @param byLayer graph layer name -> the metrics of the INT8 step that writes one of its outputs
     *                ({@code null} when none does), in report order
     */
    public record VerificationSection(VerificationReport result, Map<String, LayerMetrics> byLayer) {
        public VerificationSection {
            byLayer = Collections.unmodifiableMap(new LinkedHashMap<>(byLayer));
        }
    }
}
