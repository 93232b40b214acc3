package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.nnkit.api.fixture.ApiUsingGuice;
import dev.nnkit.core.fixture.GenericThrower;
import dev.nnkit.core.fixture.GuiceOutsideInject;
import dev.nnkit.core.fixture.JacksonInCore;
import dev.nnkit.core.fixture.JavaSerialization;
import dev.nnkit.core.fixture.Printing;
import dev.nnkit.cyclefixture.a.A;
import dev.nnkit.cyclefixture.b.B;
import dev.nnkit.io.fixture.IoUsingCli;
import dev.nnkit.io.fixture.IoUsingProtobuf;
import dev.nnkit.io.fixture.IoUsingSpark;
import dev.nnkit.losses.fixture.LossUsingCore;
import dev.nnkit.optimizers.fixture.OptimizerFixture;
import dev.nnkit.tck.fixture.TckFixture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module boundaries hold in every published module, and each rule is real: it rejects a
 * fixture class (in this module's test sources) built to break it.
 */
@DisplayName("Architecture")
class ArchitectureTest {
    static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nnkit");
    }

    static Stream<Arguments> rulesAndFixtures() {
        return Stream.of(
                Arguments.of(ArchitectureRules.API_DEPENDS_ONLY_ON_JAVA, new Class<?>[] {ApiUsingGuice.class}),
                Arguments.of(ArchitectureRules.LOSSES_DEPEND_ONLY_ON_API, new Class<?>[] {LossUsingCore.class}),
                Arguments.of(ArchitectureRules.OPTIMIZERS_DEPEND_ONLY_ON_API, new Class<?>[] {OptimizerFixture.class}),
                Arguments.of(ArchitectureRules.TCK_DEPENDS_ONLY_ON_API_AND_TEST_LIBRARIES, new Class<?>[] {TckFixture.class}),
                Arguments.of(ArchitectureRules.GUICE_ONLY_IN_INJECT, new Class<?>[] {GuiceOutsideInject.class}),
                Arguments.of(ArchitectureRules.JACKSON_ONLY_IN_IO_AND_CLI, new Class<?>[] {JacksonInCore.class}),
                Arguments.of(ArchitectureRules.NOTHING_DEPENDS_ON_CLI, new Class<?>[] {IoUsingCli.class}),
                Arguments.of(ArchitectureRules.SPARK_ONLY_IN_NN_SPARK, new Class<?>[] {IoUsingSpark.class}),
                Arguments.of(ArchitectureRules.PROTOBUF_ONLY_IN_NN_ONNX, new Class<?>[] {IoUsingProtobuf.class}),
                Arguments.of(ArchitectureRules.NO_PACKAGE_CYCLES, new Class<?>[] {A.class, B.class}),
                Arguments.of(ArchitectureRules.NO_STANDARD_STREAMS_OUTSIDE_CLI, new Class<?>[] {Printing.class}),
                Arguments.of(ArchitectureRules.NO_JAVA_SERIALIZATION, new Class<?>[] {JavaSerialization.class}),
                Arguments.of(ArchitectureRules.NO_GENERIC_EXCEPTIONS, new Class<?>[] {GenericThrower.class}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulesAndFixtures")
    @DisplayName("holds for the production classes of every module")
    void holds(ArchRule rule, Class<?>[] fixtures) {
        assertThat(production.size()).as("classes imported").isGreaterThan(50);
        rule.check(production);
    }

    @Nested
    @DisplayName("rejects a fixture that breaks it")
    class Fixtures {
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.nnkit.verification.ArchitectureTest#rulesAndFixtures")
        void rejects(ArchRule rule, Class<?>[] fixtures) {
            EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(fixtures));
            assertThat(result.hasViolation()).as("violation of '%s' by %s", rule.getDescription(),
                    Stream.of(fixtures).map(Class::getSimpleName).toList()).isTrue();
            assertThat(result.getFailureReport().toString()).contains(fixtures[0].getSimpleName());
        }
    }
}
