package dev.nnkit.core.config;

import java.util.List;

/** The pooling rule PyTorch enforces: padding at most half the kernel. */
final class PoolSettings {
    private PoolSettings() {
    }

    static void checkPadding(List<Integer> kernel, Object padding) {
        List<?> pads = (List<?>) padding;
        for (int i = 0; i < 2; i++) {
            if ((Integer) pads.get(i) * 2 > kernel.get(i)) {
                throw new IllegalArgumentException("padding must be at most half the kernel (as in PyTorch); got padding "
                        + pads + " for kernel " + kernel + ".");
            }
        }
    }
}
