package io.github.int8cal.maven;

import io.github.int8cal.calib.CalibrationSettings;
import io.github.int8cal.pipeline.CalibrateRequest;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.verify.GateRules;
import io.github.int8cal.verify.LayerRules;
import io.github.int8cal.verify.VerifySettings;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The parameters of the {@code calibrate} configuration, in one class that goals working on the
 * same model and statistics extend (as jib's goals share one configuration class), and their one
 * mapping onto the core's {@link CalibrateRequest}. Nothing here checks a value: the request's
 * builder does, reporting every problem at once; defaults come from the core's constants.
 */
abstract class CalibrateParameters extends AbstractInt8Mojo {

    /**
     * The activation statistics: our JSON (schema {@code nvdla-int8-statistics} v1), a TensorRT
     * calibration cache, an {@code nvdla_compiler} calibration JSON, or ONNX Runtime's min/max JSON.
     */
    @Parameter(property = "nvdla-int8.statistics", required = true)
    File statistics;

    /**
     * Forces the statistics format instead of detecting it from the content: {@code json},
     * {@code trt-cache}, {@code nvdla-json} or {@code ort-json}.
     */
    @Parameter(property = "nvdla-int8.statisticsFormat")
    String statisticsFormat;

    /**
     * The network the statistics belong to: an ONNX model ({@code .onnx}, weights inside) or a Caffe
     * {@code .prototxt}. With a model, every statistics key is matched to a model tensor, scales that
     * NVDLA shares are unified, {@code calibtable.json} is keyed as nvdla_compiler looks it up (Caffe
     * layer names; ONNX tensor names) and {@code calibration.cache} as TensorRT names the tensors.
     * Without a model the statistics are calibrated as they are.
     */
    @Parameter(property = "nvdla-int8.model")
    File model;

    /**
     * The Caffe weights ({@code .caffemodel}) of {@link #model}. Optional for the tables, which need only
     * the prototxt; given, the weights are read and checked against it, and NVDLA registers
     * ({@code registers.json}) are planned. Ignored for ONNX.
     */
    @Parameter(property = "nvdla-int8.weights")
    File weights;

    /**
     * With a model: give tensors that NVDLA runs at one scale (pooling, concat, reshape and
     * stand-alone ReLU outputs and their inputs; the inputs of an element-wise sum or max) one amax,
     * the largest of the group, in both tables. {@code false} only warns about the mismatches.
     * Not set: statistics the plugin calibrates are unified; an imported calibration table
     * (TensorRT cache, nvdla_compiler JSON) is kept as given, so that the registers and the
     * verification show what nvdla_compiler programs from that very table.
     */
    @Parameter(property = "nvdla-int8.unifyScales")
    Boolean unifyScales;

    /**
     * With a model: how the statistics keys name its tensors: {@code auto} (detected), {@code tensor}
     * (ONNX tensor names, Caffe blob names), {@code layer} (Caffe layer names, as nvdla_compiler
     * tables) or {@code tensorrt} (TensorRT cache names incl. {@code (Unnamed Layer* N) [Type]_output}).
     */
    @Parameter(property = "nvdla-int8.statisticsNaming", defaultValue = CalibrateRequest.DEFAULT_STATISTICS_NAMING)
    String statisticsNaming;

    /**
     * With a model that has weights (ONNX, or Caffe with {@link #weights}): how {@code registers.json}
     * programs NVDLA's requantization: {@code compiler} (exactly what nvdla_compiler 1.2 programs,
     * including its element-wise equalization, which overwrites one sum input's scale) or
     * {@code precise} (rounded mantissas, shifts split across the converters, every sum input kept at
     * its calibrated scale and converted in the SDP).
     */
    @Parameter(property = "nvdla-int8.registerMode", defaultValue = PlanOptions.DEFAULT_MODE)
    String registerMode;

    /**
     * Weight quantization of conv/FC layers for the registers: {@code per-filter} (one scale per output
     * channel) or {@code per-kernel} (one per layer, nvdla_compiler's default). Pass the same
     * {@code --quantizationMode} to nvdla_compiler.
     */
    @Parameter(property = "nvdla-int8.weightQuantization", defaultValue = PlanOptions.DEFAULT_WEIGHT_QUANTIZATION)
    String weightQuantization;

    /**
     * How the network input reaches the first conv (nvdla_compiler {@code --informat}): {@code image} or
     * {@code feature}. Default: image for Caffe models, feature for ONNX.
     */
    @Parameter(property = "nvdla-int8.inputFormat")
    String inputFormat;

    /** Image input recipe: the mean the model subtracts from raw pixels ({@code x = (p - mean) * normalize}). */
    @Parameter(property = "nvdla-int8.inputMean", defaultValue = "" + PlanOptions.DEFAULT_INPUT_MEAN)
    float inputMean;

    /** Image input recipe: the factor the model applies after subtracting {@link #inputMean}. */
    @Parameter(property = "nvdla-int8.inputNormalize", defaultValue = "" + PlanOptions.DEFAULT_INPUT_NORMALIZE)
    float inputNormalize;

    /**
     * Warn about a layer when a channel's requantization multiplier keeps fewer than {@code 15 - N} of
     * its 15 bits under the shift it shares with the other channels (N in [0, 15]).
     */
    @Parameter(property = "nvdla-int8.maxMantissaBitsLost",
            defaultValue = "" + PlanOptions.DEFAULT_MAX_MANTISSA_BITS_LOST)
    int maxMantissaBitsLost;

    /**
     * Run the INT8 verification pass (the planned INT8 network against float32, layer by layer) and
     * the build gate. Default: whenever registers are planned (a model with weights); {@code false}
     * skips it.
     */
    @Parameter(property = "nvdla-int8.verify")
    Boolean verify;

    /**
     * Directory of {@code .npy} input samples (numpy.save; one item or a batch per file, matched to
     * the model inputs by shape). Absent: synthetic mode, each layer alone on inputs drawn from the
     * statistics.
     */
    @Parameter(property = "nvdla-int8.samples")
    File samples;

    /** At most this many samples from {@link #samples} (file-name order); 0 = all. */
    @Parameter(property = "nvdla-int8.maxSamples", defaultValue = "" + VerifySettings.DEFAULT_MAX_SAMPLES)
    int maxSamples;

    /** Synthetic mode: draws per layer. */
    @Parameter(property = "nvdla-int8.syntheticSamples", defaultValue = "" + VerifySettings.DEFAULT_SYNTHETIC_SAMPLES)
    int syntheticSamples;

    /** Seed of the synthetic draws. */
    @Parameter(property = "nvdla-int8.seed", defaultValue = "" + VerifySettings.DEFAULT_SEED)
    long seed;

    /** Gate: largest fraction of a layer's int8 outputs clipped at -128/127. */
    @Parameter(property = "nvdla-int8.maxSaturation", defaultValue = "" + GateRules.DEFAULT_MAX_SATURATION)
    double maxSaturation;

    /** Gate: smallest SQNR (dB) of a layer's output against float32; unset = off. */
    @Parameter(property = "nvdla-int8.minSqnrDb")
    Double minSqnrDb;

    /** Gate: smallest cosine similarity of a layer's output to float32; unset = off. */
    @Parameter(property = "nvdla-int8.minCosine")
    Double minCosine;

    /**
     * Gate limits for single layers:
     * {@code <layerRule><layer>conv2</layer><maxSaturation>0.05</maxSaturation></layerRule>}
     * ({@code minSqnrDb}, {@code minCosine} likewise).
     */
    @Parameter
    List<LayerRuleParameter> layerRules = new ArrayList<>();

    /** Fail the build on a gate violation; {@code false} only warns. */
    @Parameter(property = "nvdla-int8.failOnViolation", defaultValue = "" + GateRules.DEFAULT_FAIL_ON_VIOLATION)
    boolean failOnViolation;

    /** Calibration method: {@code max}, {@code percentile}, {@code entropy} (TensorRT EntropyCalibration2) or {@code mse}. */
    @Parameter(property = "nvdla-int8.method", defaultValue = CalibrationSettings.DEFAULT_METHOD)
    String method;

    /** Percentile of |x| kept by the {@code percentile} method, in (0, 100]. */
    @Parameter(property = "nvdla-int8.percentile", defaultValue = "" + CalibrationSettings.DEFAULT_PERCENTILE)
    double percentile;

    /** Use the tensor's max |x| (with a warning) when a histogram method meets a tensor without a histogram. */
    @Parameter(property = "nvdla-int8.allowMaxFallback",
            defaultValue = "" + CalibrationSettings.DEFAULT_ALLOW_MAX_FALLBACK)
    boolean allowMaxFallback;

    /**
     * Per-tensor exceptions: {@code <override><tensor>prob</tensor><amax>1.0</amax></override>} fixes
     * an amax; {@code <method>} / {@code <percentile>} change how one tensor is calibrated.
     */
    @Parameter
    List<OverrideParameter> overrides = new ArrayList<>();

    /**
     * TensorRT version written into the cache header ({@code TRT-<version>-<calibrator>}); default
     * {@code 8601}, or the imported cache's header when the statistics are a TensorRT cache.
     */
    @Parameter(property = "nvdla-int8.trtVersion")
    String trtVersion;

    /** Calibrator name written into the cache header; default {@code EntropyCalibration2} (see {@link #trtVersion}). */
    @Parameter(property = "nvdla-int8.trtCalibrator")
    String trtCalibrator;

    /** Directory of the generated tables; registered as a resource root with target path {@code nvdla-int8}. */
    @Parameter(property = "nvdla-int8.outputDirectory",
            defaultValue = "${project.build.directory}/generated-resources/nvdla-int8")
    File outputDirectory;

    /** Directory of the reports (not packaged). */
    @Parameter(property = "nvdla-int8.reportDirectory", defaultValue = "${project.build.directory}/nvdla-int8")
    File reportDirectory;

    /** The parameters as the core's request; the core checks them and reports every problem at once. */
    CalibrateRequest toRequest() throws ProblemException {
        return CalibrateRequest.builder()
                .statistics(path(statistics)).statisticsFormat(statisticsFormat)
                .model(path(model), path(weights)).statisticsNaming(statisticsNaming).unifyScales(unifyScales)
                .calibration(c -> {
                    c.method(method).percentile(percentile).allowMaxFallback(allowMaxFallback);
                    overrides.forEach(o -> c.override(o.tensor, o.amax, o.method, o.percentile));
                })
                .registers(r -> r.mode(registerMode).scope(weightQuantization).inputFormat(inputFormat)
                        .hardware(hardware).maxMantissaBitsLost(maxMantissaBitsLost)
                        .inputRecipe(inputMean, inputNormalize))
                .verify(v -> v.enabled(verify).samples(path(samples)).maxSamples(maxSamples)
                        .syntheticSamples(syntheticSamples).threads(threads).seed(seed)
                        .rules(g -> {
                            g.maxSaturation(maxSaturation).minSqnrDb(minSqnrDb).minCosine(minCosine)
                                    .failOnViolation(failOnViolation);
                            layerRules.forEach(l -> g.layer(l.layer,
                                    new LayerRules(l.maxSaturation, l.minSqnrDb, l.minCosine)));
                        }))
                .outputs(path(outputDirectory), path(reportDirectory))
                .trtHeader(trtVersion, trtCalibrator)
                .build();
    }

    private static Path path(File file) {
        return file == null ? null : file.toPath();
    }
}
