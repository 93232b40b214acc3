package dev.nnkit.cyclefixture.a;

import dev.nnkit.cyclefixture.b.B;

/** Half of a package cycle a → b → a. */
public final class A {
    public B next() {
        return new B();
    }
}
