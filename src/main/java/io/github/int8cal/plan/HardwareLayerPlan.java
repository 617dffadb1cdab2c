package io.github.int8cal.plan;

import java.util.List;
import java.util.Locale;

/**
 * One NVDLA hardware layer of a planned network, in graph order.
 *
 * @param name           the hardware layer's name: the conv/FC (also for a fused element-wise super
 *                       op), element-wise, pooling or softmax layer
 * @param op             which engine runs it
 * @param graphLayers    the graph layers it covers (conv, folded BN/Scale/Bias, merged ReLU, fused sum)
 * @param inputTensors   tensors it reads (for an element-wise sum: the on-the-fly input first)
 * @param outputTensor   the tensor it writes
 * @param inputScales    scale each input is read at (after element-wise equalization)
 * @param outputScale    scale it writes at
 * @param outputChannels channels of the output
 * @param requant        the conv's (or stand-alone sum's) requantization; null for PDP, CPU and
 *                       stand-alone ReLU
 * @param eltwise        the fused element-wise sum's requantization (per-filter super op), else null
 * @param program        the SDP programming to emit (the fused one for a super op); null when the
 *                       layer has none (PDP, CPU) or was rejected
 * @param diagnostics    findings for this hardware layer (including those of {@code requant})
 */
public record HardwareLayerPlan(String name, HardwareOp op, List<String> graphLayers, List<String> inputTensors,
        String outputTensor, List<Float> inputScales, float outputScale, int outputChannels, LayerRequant requant,
        LayerRequant eltwise, SdpProgram program, List<Diagnostic> diagnostics) {

    public HardwareLayerPlan {
        graphLayers = List.copyOf(graphLayers);
        inputTensors = List.copyOf(inputTensors);
        inputScales = List.copyOf(inputScales);
        diagnostics = List.copyOf(diagnostics);
    }

    /** True when a layer that should requantize could not be programmed. */
    public boolean rejected() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    /** Largest |relative error| of any multiplier of this layer (conv and fused sum). */
    public double worstRelativeError() {
        double worst = requant == null ? 0 : requant.worstRelativeError();
        return eltwise == null ? worst : Math.max(worst, eltwise.worstRelativeError());
    }

    /** The derivation for {@code -X} logs and report.json (see {@link RequantExplainer}). */
    public String explain() {
        StringBuilder sb = new StringBuilder();
        if (requant != null) {
            sb.append(requant.explain());
        } else {
            sb.append(String.format(Locale.ROOT, "%s: %s, no requantization (in %s, out %.8g)\n", name,
                    op.name().toLowerCase(Locale.ROOT).replace('_', '+'),
                    inputScales.stream().map(s -> String.format(Locale.ROOT, "%.8g", s)).toList(), outputScale));
        }
        if (eltwise != null) {
            sb.append(eltwise.explain());
            sb.append("  fused super op: X1 from ").append(requant == null ? "?" : requant.layer())
                    .append(", X2 adds the other branch, output converter from ").append(eltwise.layer()).append('\n');
        }
        for (Diagnostic d : diagnostics) {
            boolean shown = (requant != null && requant.diagnostics().contains(d))
                    || (eltwise != null && eltwise.diagnostics().contains(d));
            if (!shown) {
                sb.append("  ").append(d.severity()).append(' ').append(d.code()).append(": ").append(d.message())
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
