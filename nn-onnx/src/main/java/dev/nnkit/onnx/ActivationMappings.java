package dev.nnkit.onnx;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.core.config.EluConfig;
import dev.nnkit.core.config.GeluConfig;
import dev.nnkit.core.config.LeakyReluConfig;
import dev.nnkit.core.config.SoftplusConfig;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * nnkit's built-in activations as ONNX operators. An operator whose setting ONNX can only hold
 * as a float32 attribute (ELU's α, SELU's constants, leaky ReLU's slope in float64) is written
 * from elementary operators with the constants as tensors of the model's dtype, so a float64
 * model keeps its settings to the last bit.
 */
final class ActivationMappings {
    /** SELU's constants, as PyTorch's (and nnkit's) double values. */
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double TANH_BETA = Math.sqrt(2 / Math.PI);
    private static final double TANH_KAPPA = 0.044715;

    private ActivationMappings() {
    }

    /** The mappings by plugin id. */
    static Map<String, BiFunction<OnnxStage, GraphBuilder, String>> all(LayerMappings.Settings settings) {
        return Map.ofEntries(
                Map.entry("identity", (s, g) -> s.input()),
                Map.entry("sigmoid", (s, g) -> g.node("Sigmoid", s.input()).output()),
                Map.entry("tanh", (s, g) -> g.node("Tanh", s.input()).output()),
                Map.entry("relu", (s, g) -> g.node("Relu", s.input()).output()),
                Map.entry("leaky-relu", (s, g) -> leakyRelu(s.input(), settings.bind(s, LeakyReluConfig.class).negativeSlope(), g)),
                Map.entry("softmax", ActivationMappings::softmax),
                Map.entry("gelu", (s, g) -> gelu(s.input(), settings.bind(s, GeluConfig.class), g)),
                Map.entry("silu", (s, g) -> silu(s.input(), g)),
                Map.entry("elu", (s, g) -> elu(s.input(), settings.bind(s, EluConfig.class).alpha(), 1, g)),
                Map.entry("selu", (s, g) -> elu(s.input(), SELU_ALPHA, SELU_SCALE, g)),
                Map.entry("softplus", (s, g) -> softplus(s.input(), settings.bind(s, SoftplusConfig.class), g)));
    }

    /** z for z > 0, else slope·z. */
    private static String leakyRelu(String x, double slope, OnnxGraph g) {
        if (g.dtype() == DType.FLOAT32) { // nnkit's float32 kernel multiplies by the float32 slope, as ONNX's attribute
            return g.node("LeakyRelu", x).attribute("alpha", (float) slope).output();
        }
        String positive = g.node("Greater", x, g.scalar(0)).output();
        return g.node("Where", positive, x, g.node("Mul", x, g.scalar(slope)).output()).output();
    }

    /** Softmax over each sample's features (nnkit's softmax takes [batch, features] only). */
    private static String softmax(OnnxStage s, OnnxGraph g) {
        return g.node("Softmax", s.input()).attribute("axis", 1L).output();
    }

    /** z·Φ(z) = ½z(1 + erf(z/√2)), or ½z(1 + tanh(√(2/π)(z + 0.044715z³))). */
    private static String gelu(String x, GeluConfig c, OnnxGraph g) {
        String half = g.node("Mul", x, g.scalar(0.5)).output();
        String inner;
        if ("tanh".equals(c.approximate())) {
            String cube = g.node("Mul", g.node("Mul", x, x).output(), x).output();
            String sum = g.node("Add", x, g.node("Mul", cube, g.scalar(TANH_KAPPA)).output()).output();
            inner = g.node("Tanh", g.node("Mul", sum, g.scalar(TANH_BETA)).output()).output();
        } else {
            inner = g.node("Erf", g.node("Mul", x, g.scalar(SQRT_HALF)).output()).output();
        }
        return g.node("Mul", half, g.node("Add", inner, g.scalar(1)).output()).output();
    }

    /**
     * z·σ(z). In float64 it is written z / (1 + e^{−z}): ONNX Runtime (1.23) fuses z·Sigmoid(z) into
     * its QuickGelu kernel, which has no float64 version, and then refuses the graph.
     */
    private static String silu(String x, OnnxGraph g) {
        if (g.dtype() == DType.FLOAT32) {
            return g.node("Mul", x, g.node("Sigmoid", x).output()).output();
        }
        String denominator = g.node("Add", g.node("Exp", g.node("Neg", x).output()).output(), g.scalar(1)).output();
        return g.node("Div", x, denominator).output();
    }

    /** scale·z for z > 0, else scale·α·(eᶻ − 1): ELU (scale 1) and SELU. */
    private static String elu(String x, double alpha, double scale, OnnxGraph g) {
        String positive = g.node("Greater", x, g.scalar(0)).output();
        String expm1 = g.node("Sub", g.node("Exp", x).output(), g.scalar(1)).output();
        String negative = g.node("Mul", expm1, g.scalar(scale * alpha)).output();
        String linear = scale == 1 ? x : g.node("Mul", x, g.scalar(scale)).output();
        return g.node("Where", positive, linear, negative).output();
    }

    /** z where β·z > threshold, else log(1 + e^{βz})/β. */
    private static String softplus(String x, SoftplusConfig c, OnnxGraph g) {
        String bz = g.node("Mul", x, g.scalar(c.beta())).output();
        String linear = g.node("Greater", bz, g.scalar(c.threshold())).output();
        // ONNX Runtime has no float64 Softplus kernel; log(1 + e^{βz}) is what nnkit computes, the
        // linear branch taking over where e^{βz} would grow large (βz > threshold)
        String softplus = g.dtype() == DType.FLOAT32 ? g.node("Softplus", bz).output()
                : g.node("Log", g.node("Add", g.node("Exp", bz).output(), g.scalar(1)).output()).output();
        String soft = g.node("Div", softplus, g.scalar(c.beta())).output();
        return g.node("Where", linear, x, soft).output();
    }
}
