package io.github.int8cal.model.caffe;

import io.github.int8cal.model.caffe.proto.CaffeProto.LayerParameter;
import io.github.int8cal.model.caffe.proto.CaffeProto.V1LayerParameter;

/** Converts old-style {@code layers { type: CONVOLUTION }} entries to the current form, as Caffe's upgrade_proto does. */
final class V1Layers {

    private V1Layers() {
    }

    static LayerParameter upgrade(V1LayerParameter v1) {
        LayerParameter.Builder l = LayerParameter.newBuilder()
                .setName(v1.getName())
                .setType(typeName(v1.getType()))
                .addAllBottom(v1.getBottomList())
                .addAllTop(v1.getTopList())
                .addAllBlobs(v1.getBlobsList())
                .addAllInclude(v1.getIncludeList())
                .addAllExclude(v1.getExcludeList());
        if (v1.hasConcatParam()) {
            l.setConcatParam(v1.getConcatParam());
        }
        if (v1.hasConvolutionParam()) {
            l.setConvolutionParam(v1.getConvolutionParam());
        }
        if (v1.hasDropoutParam()) {
            l.setDropoutParam(v1.getDropoutParam());
        }
        if (v1.hasEltwiseParam()) {
            l.setEltwiseParam(v1.getEltwiseParam());
        }
        if (v1.hasInnerProductParam()) {
            l.setInnerProductParam(v1.getInnerProductParam());
        }
        if (v1.hasPoolingParam()) {
            l.setPoolingParam(v1.getPoolingParam());
        }
        if (v1.hasReluParam()) {
            l.setReluParam(v1.getReluParam());
        }
        if (v1.hasSoftmaxParam()) {
            l.setSoftmaxParam(v1.getSoftmaxParam());
        }
        return l.build();
    }

    /** The type names of caffe's upgrade_proto.cpp UpgradeV1LayerType. */
    static String typeName(V1LayerParameter.LayerType type) {
        return switch (type) {
            case ABSVAL -> "AbsVal";
            case ACCURACY -> "Accuracy";
            case ARGMAX -> "ArgMax";
            case BNLL -> "BNLL";
            case CONCAT -> "Concat";
            case CONTRASTIVE_LOSS -> "ContrastiveLoss";
            case CONVOLUTION -> "Convolution";
            case DATA -> "Data";
            case DECONVOLUTION -> "Deconvolution";
            case DROPOUT -> "Dropout";
            case DUMMY_DATA -> "DummyData";
            case EUCLIDEAN_LOSS -> "EuclideanLoss";
            case ELTWISE -> "Eltwise";
            case EXP -> "Exp";
            case FLATTEN -> "Flatten";
            case HDF5_DATA -> "HDF5Data";
            case HDF5_OUTPUT -> "HDF5Output";
            case HINGE_LOSS -> "HingeLoss";
            case IM2COL -> "Im2col";
            case IMAGE_DATA -> "ImageData";
            case INFOGAIN_LOSS -> "InfogainLoss";
            case INNER_PRODUCT -> "InnerProduct";
            case LRN -> "LRN";
            case MEMORY_DATA -> "MemoryData";
            case MULTINOMIAL_LOGISTIC_LOSS -> "MultinomialLogisticLoss";
            case MVN -> "MVN";
            case POOLING -> "Pooling";
            case POWER -> "Power";
            case RELU -> "ReLU";
            case SIGMOID -> "Sigmoid";
            case SIGMOID_CROSS_ENTROPY_LOSS -> "SigmoidCrossEntropyLoss";
            case SILENCE -> "Silence";
            case SOFTMAX -> "Softmax";
            case SOFTMAX_LOSS -> "SoftmaxWithLoss";
            case SPLIT -> "Split";
            case SLICE -> "Slice";
            case TANH -> "TanH";
            case WINDOW_DATA -> "WindowData";
            case THRESHOLD -> "Threshold";
            case NONE -> "";
        };
    }
}
