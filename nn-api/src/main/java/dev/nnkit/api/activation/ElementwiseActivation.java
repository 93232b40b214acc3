package dev.nnkit.api.activation;

import dev.nnkit.api.tensor.Tensor;

/**
 * An activation that acts on each element alone: {@code a = h(z)}, {@code ∂a/∂z = h′(z)}.
 * Implement the two scalar functions; the loops are provided. Values are computed in
 * {@code double} and rounded once when stored, so float32 and float64 share one implementation.
 *
 * <p>The engine may pass tensors laid out in another order than {@code [batch × units]} (tiny
 * networks run feature-major): an override of {@link #forward} or {@link #backward} must treat
 * every element alike, whatever its index.
 */
public interface ElementwiseActivation extends Activation {

    /** h(z). */
    double apply(double z);

    /** h′(z), given also {@code a = h(z)} (sigmoid and tanh are cheapest from a). */
    double derivative(double z, double a);

    @Override
    default void forward(Tensor z, Tensor a) {
        for (int i = 0, n = z.size(); i < n; i++) {
            a.set(i, apply(z.get(i)));
        }
    }

    @Override
    default void backward(Tensor z, Tensor a, Tensor gradA, Tensor gradZ) {
        for (int i = 0, n = z.size(); i < n; i++) {
            gradZ.set(i, gradA.get(i) * derivative(z.get(i), a.get(i)));
        }
    }
}
