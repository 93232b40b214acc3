package dev.nnkit.core.network;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.core.plugin.PluginSpec;

/**
 * One entry of a network: the spec it was built from and the layer that computes it (activations
 * are wrapped as parameterless layers). Its index in the network is its index in the equivalent
 * PyTorch {@code nn.Sequential}.
 *
 * @param spec the plugin id and settings this stage was built from
 * @param layer the runtime layer
 */
public record Stage(PluginSpec spec, Layer layer) {
}
