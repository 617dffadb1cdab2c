package io.github.int8cal.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.inject.Inject;
import io.github.int8cal.verify.GateRule;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@MojoTest
class CalibrateMojoTest {

    private static final String BASEDIR = "/unit/calibrate";

    @Inject
    private MavenProject project;

    /** Each test writes to its own directories: the harness basedir is shared between tests. */
    @TempDir
    Path temp;

    @Provides
    MavenProject project() {
        // the harness's default project is a Mockito mock whose addResource() throws
        MavenProject project = new MavenProject();
        File basedir = new File(MojoExtension.getBasedir());
        project.setFile(new File(basedir, "pom.xml"));
        project.getBuild().setDirectory(new File(basedir, "target").getAbsolutePath());
        return project;
    }

    @Test
    @Basedir(BASEDIR)
    @InjectMojo(goal = "calibrate")
    void mapsOverridesFromXml(CalibrateMojo mojo) {
        assertEquals(2, mojo.overrides.size());
        assertEquals("prob", mojo.overrides.get(0).tensor);
        assertEquals(1.0, mojo.overrides.get(0).amax);
        assertEquals("max", mojo.overrides.get(1).method);
        assertEquals("entropy", mojo.method);
        assertEquals(99.99, mojo.percentile);
    }

    @Test
    @Basedir(BASEDIR)
    @InjectMojo(goal = "calibrate")
    @MojoParameter(name = "skip", value = "true")
    void skipWritesNothingAndRegistersNoResource(CalibrateMojo mojo) throws Exception {
        mojo.outputDirectory = temp.resolve("out").toFile();
        mojo.reportDirectory = temp.resolve("report").toFile();
        mojo.execute();
        assertTrue(project.getResources().isEmpty());
        assertFalse(Files.exists(mojo.outputDirectory.toPath().resolve("calibration.cache")));
    }

    @Test
    @Basedir(BASEDIR)
    @InjectMojo(goal = "calibrate")
    @MojoParameter(name = "method", value = "kl")
    @MojoParameter(name = "percentile", value = "120")
    void reportsEveryConfigurationProblemAtOnce(CalibrateMojo mojo) {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("<method>: unknown calibration method 'kl'"), e.getMessage());
        assertTrue(e.getMessage().contains("<percentile>: 120.0 is outside (0, 100]"), e.getMessage());
    }

    @Test
    @Basedir(BASEDIR)
    @InjectMojo(goal = "calibrate")
    void writesTablesAndRegistersThemAsResource(CalibrateMojo mojo) throws Exception {
        mojo.outputDirectory = temp.resolve("out").toFile();
        mojo.reportDirectory = temp.resolve("report").toFile();
        mojo.execute();
        Path out = mojo.outputDirectory.toPath();
        String cache = Files.readString(out.resolve("calibration.cache"));
        // conv1 by max: amax 7.5 -> float32(7.5/127) = 0x3d71e3c8; prob fixed at 1.0 -> 0x3c010204
        assertEquals("TRT-8601-EntropyCalibration2\nconv1: 3d71e3c8\nprob: 3c010204\n", cache);
        assertTrue(Files.isRegularFile(out.resolve("calibtable.json")));
        assertTrue(Files.isRegularFile(mojo.reportDirectory.toPath().resolve("report.json")));
        Resource resource = project.getResources().get(0);
        assertEquals(out.toFile().getAbsolutePath(), resource.getDirectory());
        assertEquals("nvdla-int8", resource.getTargetPath());
    }

    @Test
    @Basedir(BASEDIR)
    @InjectMojo(goal = "calibrate")
    @MojoParameter(name = "unifyScales", value = "false")
    @MojoParameter(name = "statisticsNaming", value = "tensorrt")
    void mapsModelParametersAndAModelChangeMakesItRunAgain(CalibrateMojo mojo) throws Exception {
        assertFalse(mojo.unifyScales);
        assertEquals("tensorrt", mojo.statisticsNaming);
        assertEquals(null, mojo.model);

        Path lenet = Path.of("../shared/fixtures/caffe-lenet").toAbsolutePath();
        Path prototxt = Files.copy(lenet.resolve("lenet.prototxt"), temp.resolve("lenet.prototxt"));
        mojo.statistics = lenet.resolve("lenet.calibration.table").toFile();
        mojo.model = prototxt.toFile();
        mojo.weights = lenet.resolve("lenet.caffemodel").toFile();
        mojo.verify = false; // the gate has its own tests
        mojo.overrides = new java.util.ArrayList<>();
        mojo.outputDirectory = temp.resolve("out").toFile();
        mojo.reportDirectory = temp.resolve("report").toFile();
        mojo.execute();
        Path table = temp.resolve("out").resolve("calibtable.json");
        assertEquals(Files.readString(lenet.resolve("lenet.int8.json")), Files.readString(table));

        // unchanged inputs: up to date, the (tampered) output stays
        Files.writeString(table, "tampered");
        mojo.execute();
        assertEquals("tampered", Files.readString(table));
        // the model's bytes are a digest input: a changed prototxt runs again
        Files.writeString(prototxt, Files.readString(prototxt) + "\n# edited\n");
        mojo.execute();
        assertEquals(Files.readString(lenet.resolve("lenet.int8.json")), Files.readString(table));
    }

    @Test
    @Basedir(BASEDIR)
    @InjectMojo(goal = "calibrate")
    @MojoParameter(name = "statisticsNaming", value = "blobs")
    void rejectsAnUnknownStatisticsNaming(CalibrateMojo mojo) {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("<statisticsNaming>: unknown statistics naming 'blobs'; expected one of auto,"
                + " tensor, layer, tensorrt"), e.getMessage());
    }

    @Test
    @Basedir(BASEDIR)
    @InjectMojo(goal = "calibrate")
    @MojoParameter(name = "registerMode", value = "fast")
    @MojoParameter(name = "weightQuantization", value = "per-channel")
    @MojoParameter(name = "inputFormat", value = "rgb")
    @MojoParameter(name = "hardware", value = "nv_tiny")
    @MojoParameter(name = "maxMantissaBitsLost", value = "16")
    @MojoParameter(name = "inputNormalize", value = "0")
    void reportsEveryInvalidRegisterSettingAtOnce(CalibrateMojo mojo) {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        String m = e.getMessage();
        assertTrue(m.startsWith("nvdla-int8: invalid configuration:\n"), m);
        assertTrue(m.contains("<registerMode>: unknown register mode 'fast'; expected one of compiler, precise"), m);
        assertTrue(m.contains("<weightQuantization>: unknown weight quantization 'per-channel'; expected one of"
                + " per-kernel, per-filter"), m);
        assertTrue(m.contains("<inputFormat>: unknown input format 'rgb'; expected one of image, feature"), m);
        assertTrue(m.contains("<hardware>: unknown NVDLA hardware 'nv_tiny'; expected one of nv_small, nv_small_256,"),
                m);
        assertTrue(m.contains("<maxMantissaBitsLost>: 16 is outside [0, 15]"), m);
        assertTrue(m.contains("<inputNormalize>: 0.0 must be a finite, non-zero factor"), m);
        assertEquals(6, m.split("\n").length - 1, m);
    }

    @Test
    @Basedir(BASEDIR)
    @InjectMojo(goal = "calibrate")
    @MojoParameter(name = "minSqnrDb", value = "30")
    @MojoParameter(name = "samples", value = "samples")
    void gateParametersReachTheRequestWithPerLayerRules(CalibrateMojo mojo) throws Exception {
        assertEquals(null, mojo.verify);
        assertEquals(16, mojo.maxSamples);
        assertEquals(4, mojo.syntheticSamples);
        assertEquals(0, mojo.threads);
        assertEquals(1L, mojo.seed);
        assertEquals(0.01, mojo.maxSaturation);
        assertEquals(null, mojo.minCosine);
        assertTrue(mojo.failOnViolation);
        LayerRuleParameter rule = new LayerRuleParameter();
        rule.layer = "conv2";
        rule.maxSaturation = 0.05;
        mojo.layerRules = new java.util.ArrayList<>(java.util.List.of(rule));
        io.github.int8cal.verify.VerifySettings v = mojo.toRequest().verify();
        assertEquals(null, v.enabled());
        assertTrue(v.samples().endsWith("samples"), String.valueOf(v.samples()));
        assertEquals(30.0, v.rules().minSqnrDb());
        assertEquals(0.05, v.rules().limit(GateRule.MAX_SATURATION, "conv2", "c2"));
        assertEquals(30.0, v.rules().limit(GateRule.MIN_SQNR_DB, "conv2", "c2"));
        assertEquals(0.01, v.rules().limit(GateRule.MAX_SATURATION, "conv1", "c1"));
        assertTrue(v.rules().failOnViolation());
        // in the request's text, so the up-to-date digest sees it
        assertTrue(mojo.toRequest().toString().contains("conv2=LayerRules[maxSaturation=0.05"),
                mojo.toRequest().toString());
    }

    @Test
    @Basedir(BASEDIR)
    @InjectMojo(goal = "calibrate")
    @MojoParameter(name = "maxSaturation", value = "1.5")
    @MojoParameter(name = "minCosine", value = "2")
    @MojoParameter(name = "threads", value = "-1")
    @MojoParameter(name = "syntheticSamples", value = "0")
    void reportsEveryInvalidGateSettingAtOnce(CalibrateMojo mojo) {
        LayerRuleParameter blank = new LayerRuleParameter();
        LayerRuleParameter empty = new LayerRuleParameter();
        empty.layer = "conv1";
        mojo.layerRules = new java.util.ArrayList<>(java.util.List.of(blank, empty));
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        String m = e.getMessage();
        assertTrue(m.contains("<maxSaturation>: 1.5 is not a fraction in [0, 1]"), m);
        assertTrue(m.contains("<minCosine>: 2.0 is not a cosine in [-1, 1]"), m);
        assertTrue(m.contains("<threads>: -1 must be >= 0 (0 = all cores)"), m);
        assertTrue(m.contains("<syntheticSamples>: 0 must be >= 1"), m);
        assertTrue(m.contains("<layerRules> entry 1: <layer> is required"), m);
        assertTrue(m.contains("<layerRules> entry 2 (conv1): set <maxSaturation>, <minSqnrDb> or <minCosine>"), m);
        assertEquals(6, m.split("\n").length - 1, m);
    }

    @Test
    @Basedir(BASEDIR)
    @InjectMojo(goal = "calibrate")
    void registerSettingsDefaultToCompilerPerFilterNvSmall(CalibrateMojo mojo) {
        assertEquals("compiler", mojo.registerMode);
        assertEquals("per-filter", mojo.weightQuantization);
        assertEquals("nv_small", mojo.hardware);
        assertEquals(null, mojo.inputFormat);
        assertEquals(4, mojo.maxMantissaBitsLost);
        assertEquals(0f, mojo.inputMean);
        assertEquals(1f, mojo.inputNormalize);
    }

    @Test
    @Basedir(BASEDIR)
    @InjectMojo(goal = "calibrate")
    void registersAreOutputsOfTheUpToDateCheckAndTheirSettingsAreConfiguration(CalibrateMojo mojo) throws Exception {
        Path lenet = Path.of("../shared/fixtures/caffe-lenet").toAbsolutePath();
        mojo.statistics = lenet.resolve("lenet.calibration.table").toFile();
        mojo.model = lenet.resolve("lenet.prototxt").toFile();
        mojo.weights = lenet.resolve("lenet.caffemodel").toFile();
        mojo.verify = false; // the gate has its own tests
        mojo.overrides = new java.util.ArrayList<>();
        mojo.outputDirectory = temp.resolve("out").toFile();
        mojo.reportDirectory = temp.resolve("report").toFile();
        mojo.execute();
        Path out = temp.resolve("out");
        Path cfg = out.resolve("registers/conv1.cfg");
        String perFilter = Files.readString(cfg);
        assertTrue(perFilter.contains("compiler mode, per-filter weights"), perFilter);

        // a deleted fragment is a missing output: the goal runs again and writes it back
        Files.delete(cfg);
        mojo.execute();
        assertEquals(perFilter, Files.readString(cfg));
        // unchanged: up to date
        Files.writeString(cfg, "tampered");
        mojo.execute();
        assertEquals("tampered", Files.readString(cfg));
        // another weight quantization is another configuration
        mojo.weightQuantization = "per-kernel";
        mojo.execute();
        assertTrue(Files.readString(cfg).contains("compiler mode, per-kernel weights"), Files.readString(cfg));
        assertEquals("per-kernel", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("registers.json").toFile()).get("weightQuantization").asText());
    }
}
