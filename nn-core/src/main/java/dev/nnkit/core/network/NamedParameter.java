package dev.nnkit.core.network;

import dev.nnkit.api.layer.Parameter;

/**
 * A parameter with its network-wide name, {@code <stage index>.<name>} as in a PyTorch
 * {@code nn.Sequential} {@code state_dict} ({@code 0.weight}, {@code 2.bias}).
 *
 * @param name the network-wide name
 * @param stage index of the stage that owns it
 * @param parameter the tensors
 */
public record NamedParameter(String name, int stage, Parameter parameter) {
}
