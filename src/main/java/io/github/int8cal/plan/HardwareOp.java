package io.github.int8cal.plan;

/** Which NVDLA engine runs a planned layer. */
public enum HardwareOp {
    /** Convolution pipeline (CDMA, CSC, CMAC, CACC) with the SDP on the fly. */
    CONV_SDP,
    /** Stand-alone SDP op reading its input from memory (element-wise sum, stand-alone ReLU). */
    SDP,
    /** Planar data processor (pooling): never rescales. */
    PDP,
    /** Runs on the CPU (softmax): dequantizes with the input scale, requantizes with the output scale. */
    CPU
}
