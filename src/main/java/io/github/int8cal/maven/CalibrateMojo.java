package io.github.int8cal.maven;

import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.plan.InputFormat;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.model.StatisticsKeys;
import io.github.int8cal.pipeline.CalibratePipeline;
import io.github.int8cal.pipeline.CalibrateRequest;
import io.github.int8cal.pipeline.RegisterSettings;
import io.github.int8cal.pipeline.TensorOverride;
import io.github.int8cal.pipeline.UpToDateCheck;
import io.github.int8cal.pipeline.VerifySettings;
import io.github.int8cal.verify.GateRules;
import io.github.int8cal.verify.LayerRules;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.stats.StatisticsFormat;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Calibrates INT8 scales from activation statistics and writes a TensorRT calibration cache
 * ({@code calibration.cache}) and an {@code nvdla_compiler} calibration table
 * ({@code calibtable.json}) into the build output, where they are packaged with the artifact under
 * {@code nvdla-int8/}, plus {@code report.json} in the report directory. With a model that has
 * weights it also plans NVDLA's requantization and writes it as register programming
 * ({@code registers.json} and {@code registers/<layer>.cfg} / {@code .dat}) next to the tables.
 */
@Mojo(name = "calibrate", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class CalibrateMojo extends AbstractMojo {

    /** Resource target path of the generated tables inside the artifact. */
    static final String TARGET_PATH = "nvdla-int8";

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
    @Parameter(property = "nvdla-int8.statisticsNaming", defaultValue = "auto")
    String statisticsNaming;

    /**
     * With a model that has weights (ONNX, or Caffe with {@link #weights}): how {@code registers.json}
     * programs NVDLA's requantization: {@code compiler} (exactly what nvdla_compiler 1.2 programs,
     * including its element-wise equalization, which overwrites one sum input's scale) or
     * {@code precise} (rounded mantissas, shifts split across the converters, every sum input kept at
     * its calibrated scale and converted in the SDP).
     */
    @Parameter(property = "nvdla-int8.registerMode", defaultValue = "compiler")
    String registerMode;

    /**
     * Weight quantization of conv/FC layers for the registers: {@code per-filter} (one scale per output
     * channel) or {@code per-kernel} (one per layer, nvdla_compiler's default). Pass the same
     * {@code --quantizationMode} to nvdla_compiler.
     */
    @Parameter(property = "nvdla-int8.weightQuantization", defaultValue = "per-filter")
    String weightQuantization;

    /**
     * How the network input reaches the first conv (nvdla_compiler {@code --informat}): {@code image} or
     * {@code feature}. Default: image for Caffe models, feature for ONNX.
     */
    @Parameter(property = "nvdla-int8.inputFormat")
    String inputFormat;

    /**
     * NVDLA hardware configuration of the registers: {@code nv_small}, {@code nv_small_256},
     * {@code nv_medium_512}, {@code nv_medium_1024_full}, {@code nv_small_256_full}, {@code nv_large} or
     * {@code nv_full}.
     */
    @Parameter(property = "nvdla-int8.hardware", defaultValue = "nv_small")
    String hardware;

    /** Image input recipe: the mean the model subtracts from raw pixels ({@code x = (p - mean) * normalize}). */
    @Parameter(property = "nvdla-int8.inputMean", defaultValue = "0")
    float inputMean;

    /** Image input recipe: the factor the model applies after subtracting {@link #inputMean}. */
    @Parameter(property = "nvdla-int8.inputNormalize", defaultValue = "1")
    float inputNormalize;

    /**
     * Warn about a layer when a channel's requantization multiplier keeps fewer than {@code 15 - N} of
     * its 15 bits under the shift it shares with the other channels (N in [0, 15]).
     */
    @Parameter(property = "nvdla-int8.maxMantissaBitsLost", defaultValue = "4")
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
    @Parameter(property = "nvdla-int8.maxSamples", defaultValue = "16")
    int maxSamples;

    /** Synthetic mode: draws per layer. */
    @Parameter(property = "nvdla-int8.syntheticSamples", defaultValue = "4")
    int syntheticSamples;

    /** Verification worker threads; 0 = all cores. */
    @Parameter(property = "nvdla-int8.threads", defaultValue = "0")
    int threads;

    /** Seed of the synthetic draws. */
    @Parameter(property = "nvdla-int8.seed", defaultValue = "1")
    long seed;

    /** Gate: largest fraction of a layer's int8 outputs clipped at -128/127. */
    @Parameter(property = "nvdla-int8.maxSaturation", defaultValue = "0.01")
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
    @Parameter(property = "nvdla-int8.failOnViolation", defaultValue = "true")
    boolean failOnViolation;

    /** Calibration method: {@code max}, {@code percentile}, {@code entropy} (TensorRT EntropyCalibration2) or {@code mse}. */
    @Parameter(property = "nvdla-int8.method", defaultValue = "entropy")
    String method;

    /** Percentile of |x| kept by the {@code percentile} method, in (0, 100]. */
    @Parameter(property = "nvdla-int8.percentile", defaultValue = "99.99")
    double percentile;

    /** Use the tensor's max |x| (with a warning) when a histogram method meets a tensor without a histogram. */
    @Parameter(property = "nvdla-int8.allowMaxFallback", defaultValue = "false")
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

    /** Run even when inputs, configuration and plugin version are unchanged since the last run. */
    @Parameter(property = "nvdla-int8.force", defaultValue = "false")
    boolean force;

    /** Skip the goal. */
    @Parameter(property = "nvdla-int8.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("nvdla-int8: skipped (nvdla-int8.skip=true)");
            return;
        }
        CalibrateRequest request = toRequest();
        registerResourceRoot();
        try {
            UpToDateCheck check = new UpToDateCheck(request.reportDirectory().resolve(".calibrate.digest"));
            String digest = UpToDateCheck.digest(plugin.getVersion(), request.toString(), request.inputFiles());
            if (!force && check.isUpToDate(digest)) {
                getLog().info("nvdla-int8: outputs are up to date (inputs, configuration and plugin version unchanged); nothing to do");
                return;
            }
            check.invalidate();
            List<Path> written = new CalibratePipeline(new MavenBuildLog(getLog())).run(request).written();
            check.record(digest, written);
        } catch (ProblemException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("nvdla-int8: I/O error: " + e.getMessage(), e);
        }
    }

    CalibrateRequest toRequest() throws MojoFailureException {
        List<String> problems = new ArrayList<>();
        StatisticsFormat format = null;
        if (statisticsFormat != null && !statisticsFormat.isBlank()) {
            try {
                format = StatisticsFormat.fromId(statisticsFormat);
            } catch (IllegalArgumentException e) {
                problems.add("<statisticsFormat>: " + e.getMessage());
            }
        }
        CalibrationMethod calibrationMethod = parseMethod("<method>", method, problems);
        if (!(percentile > 0 && percentile <= 100)) {
            problems.add("<percentile>: " + percentile + " is outside (0, 100]; use e.g. 99.99");
        }
        StatisticsKeys.Naming naming = parseNaming(statisticsNaming, problems);
        List<TensorOverride> tensorOverrides = new ArrayList<>();
        for (int i = 0; i < overrides.size(); i++) {
            OverrideParameter o = overrides.get(i);
            String where = "<overrides> entry " + (i + 1);
            if (o.tensor == null || o.tensor.isBlank()) {
                problems.add(where + ": <tensor> is required");
                continue;
            }
            where += " (" + o.tensor + ")";
            if (o.amax == null && o.method == null && o.percentile == null) {
                problems.add(where + ": set <amax>, <method> or <percentile>");
            }
            if (o.amax != null && !(Double.isFinite(o.amax) && o.amax >= 0)) {
                problems.add(where + ": <amax> " + o.amax + " must be a finite number >= 0");
            }
            if (o.percentile != null && !(o.percentile > 0 && o.percentile <= 100)) {
                problems.add(where + ": <percentile> " + o.percentile + " is outside (0, 100]");
            }
            CalibrationMethod m = o.method == null ? null : parseMethod(where + ": <method>", o.method, problems);
            tensorOverrides.add(new TensorOverride(o.tensor, o.amax, m, o.percentile));
        }
        RegisterSettings registers = registerSettings(problems);
        VerifySettings verifySettings = verifySettings(problems);
        if (!problems.isEmpty()) {
            throw new MojoFailureException("nvdla-int8: invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return new CalibrateRequest(statistics.toPath(), format, calibrationMethod, percentile, allowMaxFallback,
                tensorOverrides, blankToNull(trtVersion), blankToNull(trtCalibrator),
                outputDirectory.toPath(), reportDirectory.toPath(),
                model == null ? null : model.toPath(), weights == null ? null : weights.toPath(), unifyScales, naming,
                registers, verifySettings);
    }

    private VerifySettings verifySettings(List<String> problems) {
        if (maxSamples < 0) {
            problems.add("<maxSamples>: " + maxSamples + " must be >= 0 (0 = all samples)");
        }
        if (syntheticSamples < 1) {
            problems.add("<syntheticSamples>: " + syntheticSamples + " must be >= 1");
        }
        if (threads < 0) {
            problems.add("<threads>: " + threads + " must be >= 0 (0 = all cores)");
        }
        checkFraction("<maxSaturation>", maxSaturation, problems);
        checkSqnr("<minSqnrDb>", minSqnrDb, problems);
        checkCosine("<minCosine>", minCosine, problems);
        GateRules rules = GateRules.defaults().withMaxSaturation(maxSaturation).withMinSqnrDb(minSqnrDb)
                .withMinCosine(minCosine).withFailOnViolation(failOnViolation);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < layerRules.size(); i++) {
            LayerRuleParameter r = layerRules.get(i);
            String where = "<layerRules> entry " + (i + 1);
            if (r.layer == null || r.layer.isBlank()) {
                problems.add(where + ": <layer> is required (a layer or its output tensor, as report.json names it)");
                continue;
            }
            where += " (" + r.layer + ")";
            if (!seen.add(r.layer)) {
                problems.add(where + ": the layer has two rules; keep one");
                continue;
            }
            if (r.maxSaturation == null && r.minSqnrDb == null && r.minCosine == null) {
                problems.add(where + ": set <maxSaturation>, <minSqnrDb> or <minCosine>");
            }
            if (r.maxSaturation != null) {
                checkFraction(where + ": <maxSaturation>", r.maxSaturation, problems);
            }
            checkSqnr(where + ": <minSqnrDb>", r.minSqnrDb, problems);
            checkCosine(where + ": <minCosine>", r.minCosine, problems);
            rules = rules.withLayer(r.layer, new LayerRules(r.maxSaturation, r.minSqnrDb, r.minCosine));
        }
        return new VerifySettings(verify, samples == null ? null : samples.toPath(), maxSamples, syntheticSamples,
                threads, seed, rules);
    }

    private static void checkFraction(String where, double v, List<String> problems) {
        if (!(v >= 0 && v <= 1)) {
            problems.add(where + ": " + v + " is not a fraction in [0, 1] (0.01 = 1% of the outputs)");
        }
    }

    private static void checkSqnr(String where, Double v, List<String> problems) {
        if (v != null && !Double.isFinite(v)) {
            problems.add(where + ": " + v + " is not a finite number of dB");
        }
    }

    private static void checkCosine(String where, Double v, List<String> problems) {
        if (v != null && !(v >= -1 && v <= 1)) {
            problems.add(where + ": " + v + " is not a cosine in [-1, 1]");
        }
    }

    private RegisterSettings registerSettings(List<String> problems) {
        RequantMode mode = switch (lower(registerMode, "compiler")) {
            case "compiler" -> RequantMode.COMPILER;
            case "precise" -> RequantMode.PRECISE;
            default -> {
                problems.add("<registerMode>: '" + registerMode + "' is not a register mode; use compiler or precise");
                yield RequantMode.COMPILER;
            }
        };
        WeightScope scope = switch (lower(weightQuantization, "per-filter")) {
            case "per-filter" -> WeightScope.PER_FILTER;
            case "per-kernel" -> WeightScope.PER_KERNEL;
            default -> {
                problems.add("<weightQuantization>: '" + weightQuantization + "' is not a weight quantization; use"
                        + " per-filter or per-kernel (as nvdla_compiler's --quantizationMode)");
                yield WeightScope.PER_FILTER;
            }
        };
        InputFormat format = null;
        if (inputFormat != null && !inputFormat.isBlank()) {
            try {
                format = InputFormat.parse(inputFormat);
            } catch (IllegalArgumentException e) {
                problems.add("<inputFormat>: " + e.getMessage());
            }
        }
        HardwareConfig hw = HardwareConfig.NV_SMALL;
        try {
            hw = HardwareConfig.preset(lower(hardware, "nv_small"));
        } catch (IllegalArgumentException e) {
            problems.add("<hardware>: " + e.getMessage());
        }
        if (maxMantissaBitsLost < 0 || maxMantissaBitsLost > 15) {
            problems.add("<maxMantissaBitsLost>: " + maxMantissaBitsLost + " is outside [0, 15]; the multipliers"
                    + " have 15 bits");
        }
        if (!Float.isFinite(inputMean)) {
            problems.add("<inputMean>: " + inputMean + " is not a finite number");
        }
        if (!Float.isFinite(inputNormalize) || inputNormalize == 0) {
            problems.add("<inputNormalize>: " + inputNormalize + " must be a finite, non-zero factor");
        }
        return new RegisterSettings(mode, scope, format, hw, inputMean, inputNormalize, maxMantissaBitsLost);
    }

    private static String lower(String text, String fallback) {
        return text == null || text.isBlank() ? fallback : text.trim().toLowerCase(Locale.ROOT);
    }

    private static StatisticsKeys.Naming parseNaming(String text, List<String> problems) {
        String t = text == null ? "auto" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "", "auto":
                return StatisticsKeys.Naming.AUTO;
            case "tensor":
                return StatisticsKeys.Naming.TENSOR_NAMES;
            case "layer":
                return StatisticsKeys.Naming.LAYER_NAMES;
            case "tensorrt":
                return StatisticsKeys.Naming.TENSORRT_NAMES;
            default:
                problems.add("<statisticsNaming>: '" + text + "' is not a naming; use auto, tensor, layer or tensorrt");
                return StatisticsKeys.Naming.AUTO;
        }
    }

    private void registerResourceRoot() {
        String dir = outputDirectory.getAbsolutePath();
        boolean present = project.getResources().stream().anyMatch(r -> dir.equals(r.getDirectory()));
        if (!present) {
            Resource resource = new Resource();
            resource.setDirectory(dir);
            resource.setTargetPath(TARGET_PATH);
            project.addResource(resource);
        }
    }

    private static CalibrationMethod parseMethod(String where, String text, List<String> problems) {
        try {
            return CalibrationMethod.fromId(text);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return CalibrationMethod.ENTROPY;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
