/**
 * The INT8 verification pass and the build gate.
 *
 * <p>{@link io.github.int8cal.verify.Verifier#verify} runs a model twice: through
 * {@link io.github.int8cal.verify.Fp32Executor} (the float32 reference) and through
 * {@link io.github.int8cal.verify.Int8Executor}, which runs the {@link io.github.int8cal.plan.NetworkPlan}
 * the way NVDLA does, on the bit-exact datapath of {@code nvdla.datapath} with the registers the
 * emitter writes. It compares every INT8 step with the reference ({@link io.github.int8cal.verify.LayerMetrics}:
 * SQNR, cosine, max error, int8 clipping, CACC saturation, predicted hardware counters; top-1
 * agreement of classifier outputs) and applies the {@link io.github.int8cal.verify.GateRules}.
 *
 * <p>A request is the settings (how to run, {@link io.github.int8cal.verify.GateRules}) plus the
 * graph and the plan it checks; the pipeline's verify phase builds it, its write phase hands the
 * report to {@code report.ReportWriter} and {@code report.JUnitXmlWriter}, and its gate phase
 * renders the violations:
 * <pre>{@code
 * VerifySettings settings = VerifySettings.builder().threads(threads).seed(seed)
 *         .rules(gate -> gate.maxSaturation(0.01).minSqnrDb(30.0)).build();
 * VerifyRequest request = new VerifyRequest(settings, graph, plan, statsByTensor, calibratedByTensor,
 *         progress);
 * VerificationReport report = Verifier.verify(request);          // ProblemException on bad input
 * if (!report.violations().isEmpty()) log(Gate.render(report.violations()));
 * if (!report.passed()) fail(...);
 * }</pre>
 *
 * <p>Samples ({@link io.github.int8cal.verify.Samples}): a directory of {@code .npy} files
 * ({@link io.github.int8cal.verify.NpyReader}), one item or a batch of items per file, matched to
 * the model inputs by shape. Without samples the pass runs in synthetic mode: every step alone on
 * inputs drawn from the calibration statistics with a seeded generator.
 */
package io.github.int8cal.verify;
