package dev.nnkit.core.config;

import java.util.List;

/**
 * Settings of {@code max-pool2d}, as PyTorch's {@code nn.MaxPool2d}: each output value is the
 * largest in its window of each channel. Sizes are one number or {@code [height, width]}.
 *
 * @param kernel window size, each ≥ 1
 * @param stride step between windows; empty (the default) means the kernel size, as in PyTorch
 * @param padding implicit −∞ on each side, at most half the kernel (default 0)
 */
public record MaxPool2dConfig(List<Integer> kernel, List<Integer> stride, Object padding) {
    public MaxPool2dConfig {
        kernel = WindowSettings.pair("kernel", kernel, 1);
        stride = stride == null || stride.isEmpty() ? kernel : WindowSettings.pair("stride", stride, 1);
        padding = WindowSettings.padding(padding, false);
        PoolSettings.checkPadding(kernel, padding);
    }
}
