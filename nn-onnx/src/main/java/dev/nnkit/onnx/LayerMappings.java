package dev.nnkit.onnx;

import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.config.AvgPool2dConfig;
import dev.nnkit.core.config.BatchNormConfig;
import dev.nnkit.core.config.Conv2dConfig;
import dev.nnkit.core.config.MaxPool2dConfig;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * nnkit's built-in layers as ONNX operators, each the operator PyTorch's exporter writes for the
 * equivalent module (nnkit's layers are PyTorch's, see docs/files.md): dense → {@code Gemm},
 * conv2d → {@code Conv}, the pools → {@code MaxPool}/{@code AveragePool}/{@code GlobalAveragePool},
 * batch norm → {@code BatchNormalization} with the running statistics, dropout → nothing (it is
 * the identity at inference), flatten → {@code Flatten}.
 */
final class LayerMappings {
    private LayerMappings() {
    }

    /** The mappings by plugin id; {@code settings} binds a stage's settings to its config record. */
    static Map<String, BiFunction<OnnxStage, GraphBuilder, String>> all(Settings settings) {
        return Map.of(
                "dense", LayerMappings::dense,
                "flatten", (s, g) -> flatten(s.input(), g),
                "dropout", (s, g) -> s.input(),
                "conv2d", (s, g) -> conv2d(s, settings.bind(s, Conv2dConfig.class), g),
                "max-pool2d", (s, g) -> maxPool(s, settings.bind(s, MaxPool2dConfig.class), g),
                "avg-pool2d", (s, g) -> avgPool(s, settings.bind(s, AvgPool2dConfig.class), g),
                "global-avg-pool2d", (s, g) -> g.node("GlobalAveragePool", s.input()).output(),
                "batch-norm", (s, g) -> batchNorm(s, settings.bind(s, BatchNormConfig.class), g));
    }

    /** A stage's settings as its provider's config record. */
    interface Settings {
        <C extends Record> C bind(OnnxStage stage, Class<C> type);
    }

    /** [batch, d1, d2, …] → [batch, d1·d2·…], as a dense layer after image stages reads its input. */
    static String flatten(String input, OnnxGraph g) {
        return g.node("Flatten", input).attribute("axis", 1L).output();
    }

    /** y = x·Wᵀ + b: {@code Gemm} with transB, W stored [units, inputs] as nn.Linear's weight. */
    private static String dense(OnnxStage s, OnnxGraph g) {
        String x = s.inputShape().rank() > 1 ? flatten(s.input(), g) : s.input();
        String w = g.constant("weight", s.parameter("weight"));
        return s.parameters().containsKey("bias")
                ? g.node("Gemm", x, w, g.constant("bias", s.parameter("bias"))).attribute("transB", 1L).output()
                : g.node("Gemm", x, w).attribute("transB", 1L).output();
    }

    private static String conv2d(OnnxStage s, Conv2dConfig c, OnnxGraph g) {
        long[] pads;
        if ("same".equals(c.padding())) { // PyTorch's "same": the odd pixel of padding goes bottom and right
            long totalH = (long) c.dilation().get(0) * (c.kernel().get(0) - 1);
            long totalW = (long) c.dilation().get(1) * (c.kernel().get(1) - 1);
            pads = new long[] {totalH / 2, totalW / 2, totalH - totalH / 2, totalW - totalW / 2};
        } else {
            pads = symmetric((List<?>) c.padding());
        }
        String w = g.constant("weight", s.parameter("weight"));
        OnnxGraph.Node node = c.bias() ? g.node("Conv", s.input(), w, g.constant("bias", s.parameter("bias")))
                : g.node("Conv", s.input(), w);
        return node.attribute("kernel_shape", longs(c.kernel())).attribute("strides", longs(c.stride()))
                .attribute("dilations", longs(c.dilation())).attribute("pads", pads)
                .attribute("group", (long) c.groups()).output();
    }

    private static String maxPool(OnnxStage s, MaxPool2dConfig c, OnnxGraph g) {
        return g.node("MaxPool", s.input()).attribute("kernel_shape", longs(c.kernel()))
                .attribute("strides", longs(c.stride())).attribute("pads", symmetric((List<?>) c.padding())).output();
    }

    private static String avgPool(OnnxStage s, AvgPool2dConfig c, OnnxGraph g) {
        return g.node("AveragePool", s.input()).attribute("kernel_shape", longs(c.kernel()))
                .attribute("strides", longs(c.stride())).attribute("pads", symmetric((List<?>) c.padding()))
                .attribute("count_include_pad", c.countIncludePad() ? 1L : 0L).output();
    }

    /**
     * Inference-form batch norm, (x − running mean)/√(running var + ε)·γ + β per channel (per
     * feature for [batch, features]); γ = 1 and β = 0 when the layer is not affine. ONNX holds ε
     * as a float32 attribute, so a float64 model's ε is rounded to float32 (1e-5 moves by 2.5e-13).
     */
    private static String batchNorm(OnnxStage s, BatchNormConfig c, OnnxGraph g) {
        int channels = s.inputShape().dim(0);
        double[] ones = new double[channels];
        java.util.Arrays.fill(ones, 1);
        String gamma = c.affine() ? g.constant("weight", s.parameter("weight")) : g.constant("weight", Shape.of(channels), ones);
        String beta = c.affine() ? g.constant("bias", s.parameter("bias"))
                : g.constant("bias", Shape.of(channels), new double[channels]);
        return g.node("BatchNormalization", s.input(), gamma, beta, g.constant("running_mean", s.buffer("running_mean")),
                g.constant("running_var", s.buffer("running_var"))).attribute("epsilon", (float) c.eps()).output();
    }

    private static long[] longs(List<Integer> values) {
        return values.stream().mapToLong(Integer::longValue).toArray();
    }

    /** PyTorch's padding [top/bottom, left/right] as ONNX's [top, left, bottom, right]. */
    private static long[] symmetric(List<?> padding) {
        long h = ((Number) padding.get(0)).longValue();
        long w = ((Number) padding.get(1)).longValue();
        return new long[] {h, w, h, w};
    }
}
