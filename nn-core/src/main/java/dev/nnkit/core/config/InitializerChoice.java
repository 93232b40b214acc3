package dev.nnkit.core.config;

import dev.nnkit.api.plugin.PluginIds;

/** The checks a layer's {@code biasInit} setting shares between {@code dense} and {@code conv2d}. */
final class InitializerChoice {
    /** The default bias initializer, which draws nothing. */
    static final String ZEROS = "zeros";

    private InitializerChoice() {
    }

    static void checkBias(boolean bias, String biasInit) {
        if (!PluginIds.isValid(biasInit)) {
            throw new IllegalArgumentException("biasInit must be an initializer id such as 'zeros' or 'torch-default'; got '"
                    + biasInit + "'.");
        }
        if (!bias && !biasInit.equals(ZEROS)) {
            throw new IllegalArgumentException("biasInit '" + biasInit + "' has no bias to start: bias is false. Remove "
                    + "biasInit, or set bias to true.");
        }
    }
}
