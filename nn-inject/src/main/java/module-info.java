/**
 * The Guice wiring of a configured trainer ({@code Trainers.create(spec)}): the only module that
 * knows Guice, so that an application that only loads models and predicts (nn-io, nn-core) has
 * neither Guice nor Guava on its path.
 */
module dev.nnkit.inject {
    requires transitive dev.nnkit.core;
    requires com.google.guice;
    // Guice 7 is an automatic module and cannot declare that it needs jakarta.inject, an explicit
    // module that would otherwise never be resolved on the module path.
    requires jakarta.inject;

    exports dev.nnkit.inject;

    // Guice reads the @Provides methods reflectively.
    opens dev.nnkit.inject to com.google.guice;
}
