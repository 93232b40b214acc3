package dev.nnkit.api.activation;

import dev.nnkit.api.tensor.Tensor;

/**
 * An activation function h applied to a batch of pre-activations: {@code a = h(z)}.
 *
 * <p>Both tensors are {@code [batch × units]} matrices of equal shape. Most activations act on
 * each element alone; implement {@link ElementwiseActivation} for those and write two scalar
 * functions. Row-wise activations such as softmax implement this interface directly.
 *
 * <p>Instances are created per network. {@link #forward} may be called from many threads at once
 * (predictions share one network), so keep no per-call state in fields: use locals, or a
 * {@code ThreadLocal} for scratch, as the built-in softmax does. No argument is {@code null}.
 */
public interface Activation {

    /** Writes {@code a = h(z)}. */
    void forward(Tensor z, Tensor a);

    /**
     * Writes {@code ∂L/∂z} given {@code ∂L/∂a}: for an element-wise h, {@code gradZ = gradA ⊙ h′(z)};
     * in general the vector-Jacobian product of each row. {@code a} is what {@link #forward} wrote.
     */
    void backward(Tensor z, Tensor a, Tensor gradA, Tensor gradZ);
}
