package dev.nnkit.cyclefixture.b;

import dev.nnkit.cyclefixture.a.A;

/** The other half of a package cycle a → b → a. */
public final class B {
    public A back() {
        return new A();
    }
}
