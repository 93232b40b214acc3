package dev.nnkit.verification;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/** DESIGN.md's module boundaries as ArchUnit rules, shared by the real check and the fixture check. */
final class ArchitectureRules {
    private ArchitectureRules() {
    }

    static final ArchRule API_DEPENDS_ONLY_ON_JAVA = classes().that().resideInAPackage("dev.nnkit.api..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.nnkit.api..")
            .as("nn-api depends only on java.. (no Guice, no Jackson, no engine)");

    static final ArchRule LOSSES_DEPEND_ONLY_ON_API = classes().that().resideInAPackage("dev.nnkit.losses..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.nnkit.api..", "dev.nnkit.losses..")
            .as("nn-losses depends only on the api");

    static final ArchRule OPTIMIZERS_DEPEND_ONLY_ON_API = classes().that().resideInAPackage("dev.nnkit.optimizers..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.nnkit.api..", "dev.nnkit.optimizers..")
            .as("nn-optimizers depends only on the api");

    static final ArchRule TCK_DEPENDS_ONLY_ON_API_AND_TEST_LIBRARIES = classes().that().resideInAPackage("dev.nnkit.tck..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.nnkit.api..", "dev.nnkit.tck..",
                    "org.junit..", "org.assertj..")
            .as("nn-tck depends only on the api, JUnit and AssertJ");

    static final ArchRule GUICE_ONLY_IN_INJECT = noClasses()
            .that().resideOutsideOfPackages("dev.nnkit.inject..")
            .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..")
            .as("Guice is used only in dev.nnkit.inject (nn-inject)");

    static final ArchRule JACKSON_ONLY_IN_IO_AND_CLI = noClasses()
            .that().resideOutsideOfPackages("dev.nnkit.io..", "dev.nnkit.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("tools.jackson..", "com.fasterxml.jackson..")
            .as("Jackson is used only in nn-io and the CLI");

    static final ArchRule NOTHING_DEPENDS_ON_CLI = noClasses().that().resideOutsideOfPackage("dev.nnkit.cli..")
            .should().dependOnClassesThat().resideInAPackage("dev.nnkit.cli..")
            .as("nothing depends on nn-cli");

    static final ArchRule SPARK_ONLY_IN_NN_SPARK = noClasses().that().resideOutsideOfPackage("dev.nnkit.spark..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.apache.hadoop..", "scala..",
                    "dev.nnkit.spark..")
            .as("Spark, Hadoop, Scala and nn-spark are used only in nn-spark (provided by the cluster; nothing else needs them)");

    static final ArchRule PROTOBUF_ONLY_IN_NN_ONNX = noClasses().that().resideOutsideOfPackage("dev.nnkit.onnx..")
            .should().dependOnClassesThat().resideInAnyPackage("com.google.protobuf..", "dev.nnkit.onnx.proto..")
            .as("protobuf and the ONNX classes generated from onnx.proto are used only in nn-onnx");

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.nnkit.(**)").should().beFreeOfCycles()
            .as("no package cycles");

    static final ArchRule NO_STANDARD_STREAMS_OUTSIDE_CLI = noClasses().that().resideOutsideOfPackage("dev.nnkit.cli..")
            .and().haveNameNotMatching("dev\\.nnkit\\.spark\\.SparkTrain(\\$.*)?")
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .as("no System.out or System.err outside nn-cli and nn-spark's spark-submit entry point");

    static final ArchRule NO_JAVA_SERIALIZATION = noClasses().should().dependOnClassesThat()
            .haveFullyQualifiedName("java.io.ObjectInputStream").orShould().dependOnClassesThat()
            .haveFullyQualifiedName("java.io.ObjectOutputStream")
            .as("no Java serialization: models, checkpoints and configs are JSON and safetensors");

    static final ArchRule NO_GENERIC_EXCEPTIONS = noClasses().should(GeneralCodingRules.THROW_GENERIC_EXCEPTIONS)
            .as("no generic exceptions (Throwable, Exception, RuntimeException) thrown");
}
