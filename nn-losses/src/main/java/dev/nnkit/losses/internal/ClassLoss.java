package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.Loss;

/**
 * A loss whose targets are classes (the cross-entropies and hinge losses): a CSV column of whole
 * numbers is read as class labels for it. Functional, so a lambda can be one.
 */
@FunctionalInterface
interface ClassLoss extends Loss {
    @Override
    default boolean classifies() {
        return true;
    }
}
