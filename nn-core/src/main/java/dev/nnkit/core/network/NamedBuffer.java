package dev.nnkit.core.network;

import dev.nnkit.api.layer.Buffer;

/**
 * A buffer with its network-wide name, {@code <stage index>.<name>} as in a PyTorch
 * {@code nn.Sequential} {@code state_dict} ({@code 1.running_mean}).
 *
 * @param name the network-wide name
 * @param stage index of the stage that owns it
 * @param buffer the tensor
 */
public record NamedBuffer(String name, int stage, Buffer buffer) {
}
