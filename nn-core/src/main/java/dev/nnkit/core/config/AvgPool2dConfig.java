package dev.nnkit.core.config;

import java.util.List;

/**
 * Settings of {@code avg-pool2d}, as PyTorch's {@code nn.AvgPool2d}: each output value is the
 * mean of its window of each channel. Sizes are one number or {@code [height, width]}.
 *
 * @param kernel window size, each ≥ 1
 * @param stride step between windows; empty (the default) means the kernel size, as in PyTorch
 * @param padding zeros on each side, at most half the kernel (default 0)
 * @param countIncludePad whether the padding zeros count in the mean's divisor (PyTorch's default true)
 */
public record AvgPool2dConfig(List<Integer> kernel, List<Integer> stride, Object padding, boolean countIncludePad) {
    public AvgPool2dConfig {
        kernel = WindowSettings.pair("kernel", kernel, 1);
        stride = stride == null || stride.isEmpty() ? kernel : WindowSettings.pair("stride", stride, 1);
        padding = WindowSettings.padding(padding, false);
        PoolSettings.checkPadding(kernel, padding);
    }
}
