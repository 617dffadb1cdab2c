package io.github.int8cal.model;

/**
 * The name TensorRT gives a tensor of this graph in its calibration cache.
 *
 * @param trtName the cache key, e.g. {@code conv1} or {@code (Unnamed Layer* 4) [Fully Connected]_output}
 * @param tensor  our tensor; {@code null} for tensors TensorRT makes that the graph has no
 *                activation for (the Constant layer TensorRT's Caffe parser adds for PReLU slopes)
 * @param layer   our layer creating it ({@code null} for inputs); for a Constant, the PReLU layer
 */
public record TrtName(String trtName, String tensor, String layer) {
}
