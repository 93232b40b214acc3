/**
 * nnkit's plugin test kit: abstract JUnit 5 contracts a plugin author extends (one factory method
 * each) to check a layer, activation or loss, with central-difference gradient checks.
 */
module dev.nnkit.tck {
    requires transitive dev.nnkit.api;
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;

    exports dev.nnkit.tck;
    // JUnit calls the contracts' protected test methods reflectively.
    opens dev.nnkit.tck to org.junit.platform.commons;
}
