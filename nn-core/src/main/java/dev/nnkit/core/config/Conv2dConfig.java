package dev.nnkit.core.config;

import dev.nnkit.api.plugin.PluginIds;
import java.util.List;

/**
 * Settings of {@code conv2d}, as PyTorch's {@code nn.Conv2d}: {@code filters} output channels,
 * each the sum over its group's input channels of a {@code kernel}-sized window of weights slid
 * over the (padded) image. Sizes are one number (square) or {@code [height, width]}.
 *
 * @param filters output channels (PyTorch's out_channels), ≥ 1 and divisible by {@code groups}
 * @param kernel window size, each ≥ 1
 * @param stride step between windows, each ≥ 1 (default 1)
 * @param padding zeros added on each side: a number, {@code [height, width]}, {@code "valid"}
 *     (none, the default) or {@code "same"} (output as large as the input; stride 1 only, the odd
 *     extra zero on the bottom and right as PyTorch does)
 * @param dilation spacing between the window's taps, each ≥ 1 (default 1)
 * @param groups input and output channels split into this many independent groups (default 1)
 * @param bias whether each filter adds a bias
 * @param weightInit id of the initializer for the weights
 * @param biasInit id of the initializer for the bias ({@code zeros} by default; {@code torch-default}
 *     for both starts the layer as PyTorch's {@code nn.Conv2d})
 */
public record Conv2dConfig(int filters, List<Integer> kernel, List<Integer> stride, Object padding,
                           List<Integer> dilation, int groups, boolean bias, String weightInit, String biasInit) {
    public Conv2dConfig {
        if (filters < 1) {
            throw new IllegalArgumentException("filters must be at least 1; got " + filters + ".");
        }
        kernel = WindowSettings.pair("kernel", kernel, 1);
        stride = WindowSettings.pair("stride", stride, 1);
        dilation = WindowSettings.pair("dilation", dilation, 1);
        padding = WindowSettings.padding(padding, true);
        if (groups < 1 || filters % groups != 0) {
            throw new IllegalArgumentException("groups must be at least 1 and divide filters (" + filters + "); got "
                    + groups + ".");
        }
        if ("same".equals(padding) && (stride.get(0) != 1 || stride.get(1) != 1)) {
            throw new IllegalArgumentException("padding \"same\" needs stride 1 (as in PyTorch); got stride " + stride
                    + ". Give the padding as numbers.");
        }
        if (!PluginIds.isValid(weightInit)) {
            throw new IllegalArgumentException("weightInit must be an initializer id such as 'he-uniform'; got '"
                    + weightInit + "'.");
        }
        InitializerChoice.checkBias(bias, biasInit);
    }

    /** A convolution whose bias starts at zero. */
    public Conv2dConfig(int filters, List<Integer> kernel, List<Integer> stride, Object padding,
                        List<Integer> dilation, int groups, boolean bias, String weightInit) {
        this(filters, kernel, stride, padding, dilation, groups, bias, weightInit, InitializerChoice.ZEROS);
    }

    /** {@code filters} square {@code kernel}×{@code kernel} filters, stride 1, no padding, He-uniform weights. */
    public static Conv2dConfig of(int filters, int kernel) {
        return new Conv2dConfig(filters, List.of(kernel), List.of(1), "valid", List.of(1), 1, true, "he-uniform");
    }
}
