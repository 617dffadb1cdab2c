package io.github.int8cal.model;

/**
 * One entry of the nvdla_compiler calibration table.
 *
 * @param key    the JSON key (Caffe input blob name or layer name)
 * @param tensor the graph tensor whose scale goes under the key (the layer's first output)
 * @param layer  the layer name; {@code null} for a network input
 */
public record TableKey(String key, String tensor, String layer) {
}
