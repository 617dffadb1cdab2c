package io.github.int8cal.verify;

import io.github.int8cal.model.Layer;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.problems.Choice;
import java.util.List;

/**
 * One step of the INT8 run, in execution order: a planned hardware layer, a memory view, a CPU
 * fallback for a layer the planner left out, or the quantization of a network input.
 *
 * @param name        hardware layer name (planned steps) or graph layer / input name
 * @param engine      what runs it
 * @param graphLayers the graph layers it covers (empty for an input)
 * @param inputs      tensors it reads from outside itself, in the order the step uses them
 * @param output      the tensor it writes
 * @param plan        the hardware layer plan (null for views, fallbacks and inputs)
 * @param note        why a layer falls back, or what a view does; empty otherwise
 */
public record Int8Step(String name, Engine engine, List<Layer> graphLayers, List<String> inputs, String output,
        HardwareLayerPlan plan, String note) {

    public Int8Step {
        graphLayers = List.copyOf(graphLayers);
        inputs = List.copyOf(inputs);
    }

    /** Who executes a step. */
    public enum Engine implements Choice {
        /** Network input quantized on the host: {@code sat8(round_half_away(x / scale))}. */
        INPUT,
        /** Convolution pipeline with the SDP on the fly (conv/FC, fused element-wise super op). */
        CONV_SDP,
        /** Stand-alone SDP (element-wise sum, ReLU) reading its input from memory. */
        SDP,
        /** PDP pooling in int8, never rescaling. */
        PDP,
        /** CPU op as nvdla_compiler runs it (softmax): dequantize, compute, requantize. */
        CPU,
        /** Concat / reshape / flatten / dropout: the same bytes seen differently. */
        VIEW,
        /** Not planned for NVDLA: emulated in float32 between int8 tensors, marked in the report. */
        CPU_FALLBACK
    }
}
