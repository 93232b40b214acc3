package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The kit is real: each fixture, a plugin author's test of a plugin broken in one way, run through
 * the JUnit engine, fails exactly the checks named here and says why; the correct fixtures pass
 * every check; and every check of every contract is failed by at least one fixture.
 */
@DisplayName("The test kit")
class ContractsCatchBugsTest {

    static Stream<Arguments> fixtures() {
        return Stream.of(
                arguments(OptimizerFixtures.Correct.class, Set.of(), ""),
                arguments(OptimizerFixtures.IgnoresGivenRate.class, Set.of("OptimizerContract.zeroRateLeavesTheta",
                        "OptimizerContract.usesTheGivenRate", "OptimizerContract.matchesReferences"),
                        "update() must scale its move by step.learningRate()"),
                arguments(OptimizerFixtures.IgnoresGivenRateOptedOut.class, Set.of(), "skipped: matchesReferences"),
                arguments(OptimizerFixtures.WritesGradient.class, Set.of("OptimizerContract.gradientUnchanged"),
                        "the gradient after update() at step 1 with the default settings: it is read-only"),
                arguments(OptimizerFixtures.DecayIntoGradientWhenSet.class, Set.of("OptimizerContract.gradientUnchanged"),
                        "the gradient after update() at step 1 with settings {"),
                arguments(OptimizerFixtures.BiasCorrectionOffByOne.class, Set.of("OptimizerContract.matchesReferences"),
                        "but the reference gives"),
                arguments(OptimizerFixtures.DecayWrongSign.class, Set.of("OptimizerContract.matchesReferences"),
                        "but the reference gives"),
                arguments(OptimizerFixtures.HiddenState.class, Set.of("OptimizerContract.saveRestoreReplays",
                        "OptimizerContract.rangesMatchWholeUpdates"), "must live in the declared state slots [exp_avg_sq]"),
                arguments(OptimizerFixtures.Climbs.class, Set.of("OptimizerContract.lowersTheLoss",
                        "OptimizerContract.matchesReferences"), "loss after 100 steps"),
                arguments(OptimizerFixtures.NotDeterministic.class, Set.of("OptimizerContract.deterministic",
                        "OptimizerContract.saveRestoreReplays"), "θ after 30 steps, run twice"),
                arguments(OptimizerFixtures.Float32Epsilon.class, Set.of("OptimizerContract.float32MatchesFloat64"),
                        "float32"),
                arguments(OptimizerFixtures.SkipsNan.class, Set.of("OptimizerContract.nanPropagates"),
                        "θ[0] after a step with a NaN gradient"),
                arguments(OptimizerFixtures.RangesRoundDifferently.class,
                        Set.of("OptimizerContract.rangesMatchWholeUpdates", "OptimizerContract.matchesReferences"),
                        "in ranges [5,6), [0,2), [2,5)"),
                arguments(OptimizerFixtures.UnusedSlot.class, Set.of("OptimizerContract.slotsAreUsed"),
                        "slot 'max_exp_avg_sq' after 20 steps"),
                arguments(OptimizerFixtures.StaleSpi.class, Set.of("PluginContract.declaresSpiVersion"),
                        "override it as 'return SPI_VERSION;'"),
                arguments(OptimizerFixtures.BadId.class, Set.of("PluginContract.providerIsWellFormed"),
                        "id 'AdamW_Fixture' must be lowercase"),
                arguments(OptimizerFixtures.AcceptsNegativeRate.class, Set.of("PluginContract.rejectsBadSettings"),
                        "adamw-fixture accepted learningRate = -0.1"),
                arguments(OptimizerFixtures.RefusesWithoutNaming.class, Set.of("PluginContract.rejectsBadSettings"),
                        "with a message that does not name the setting"),
                arguments(OptimizerFixtures.ConvertsTwice.class, Set.of("PluginContract.roundTrip",
                        "OptimizerContract.matchesReferences"), "after a round trip through plain values"),

                arguments(LossFixtures.BceCorrect.class, Set.of(), ""),
                arguments(LossFixtures.BceHalfGradient.class, Set.of("LossContract.gradientMatchesCentralDifferences"),
                        "Gradient of prediction (sample 1: prediction ["),
                arguments(LossFixtures.BceUnclamped.class, Set.of("LossContract.finiteOnEdges"),
                        "The loss of the edge sample prediction [0.0, 1.0, 0.0, 1.0], target [0.0, 1.0, 1.0, 0.0] is NaN"),
                arguments(LossFixtures.BceClampHidesNan.class, Set.of("LossContract.nanPropagates"),
                        "a clamp such as 'p < eps ? eps : p' turns NaN into eps"),
                arguments(LossFixtures.BceClampsInPlace.class, Set.of("LossContract.finiteAndPure"),
                        "after the call: it is read-only (clamp a copy)"),
                arguments(LossFixtures.BceWrongTargetWidth.class, Set.of("LossContract.targetWidthMatchesSample"),
                        "targetWidth(4) is 1"),
                arguments(LossFixtures.HuberCorrect.class, Set.of(), ""),
                arguments(LossFixtures.HuberNeverLinear.class, Set.of("LossContract.samplesEveryBranch"),
                        "reaches branch 'linear, |ŷ − y| > 1'"),

                arguments(ActivationFixtures.Correct.class, Set.of(), ""),
                arguments(ActivationFixtures.WrongDerivative.class, Set.of("ActivationContract.matchesCentralDifferences"),
                        "Gradient of z[0] is wrong"),
                arguments(ActivationFixtures.WrongFloat32Derivative.class,
                        Set.of("ActivationContract.float32BackwardMatchesFloat64"), "float32 ∂L/∂z[0] is"),
                arguments(ActivationFixtures.WrongFloat32Forward.class, Set.of("ActivationContract.float32MatchesFloat64"),
                        "float32 a[0] is"),
                arguments(ActivationFixtures.NanSaturates.class, Set.of("ActivationContract.nanPropagates"), "NaN"),
                arguments(ActivationFixtures.LayoutDependent.class, Set.of("ActivationContract.elementwiseIgnoresLayout"),
                        "FLOAT64 a["),

                arguments(ScheduleFixtures.Correct.class, Set.of(), ""),
                arguments(ScheduleFixtures.GoesNegative.class, Set.of("ScheduleContract.finiteAndNonNegative"),
                        "At epoch 101 with base rate 0.1"),
                arguments(ScheduleFixtures.CountsCalls.class, Set.of("ScheduleContract.pure"),
                        "Keep no state in fields"),
                arguments(ScheduleFixtures.UnknownMonitor.class, Set.of("ScheduleContract.monitorsAKnownScore"),
                        "monitor(): one of [trainLoss"),

                arguments(LayerFixtures.Correct.class, Set.of(), ""),
                arguments(LayerFixtures.WrongParameterGradient.class, Set.of("LayerContract.parameterGradients"),
                        "Gradient of bias[0] is wrong"),
                arguments(LayerFixtures.WrongInputGradient.class, Set.of("LayerContract.inputGradient"),
                        "Gradient of input["),
                arguments(LayerFixtures.InferenceMovesBuffer.class, Set.of("LayerContract.inferenceIsPure"),
                        "second output"),
                arguments(LayerFixtures.BiasAlwaysFloat64.class, Set.of("LayerContract.shapesAndNames"),
                        "dtype of bias"),
                arguments(LayerFixtures.Float32Offset.class, Set.of("LayerContract.float32MatchesFloat64"),
                        "output[0]"),
                arguments(LayerFixtures.LeavesLastValue.class, Set.of("LayerContract.writesEveryValue"),
                        "INFERENCE output of shape [5, 3]: value 14 was not written"),
                arguments(LayerFixtures.MeanInAField.class, Set.of("LayerContract.restoredStatePredictsTheSame"),
                        "the restored layer's inference output"),
                // its own generator is not replayed either, so its gradients cannot be checked
                arguments(LayerFixtures.OwnRandom.class, Set.of("LayerContract.drawsOnlyFromThePassStream",
                        "LayerContract.inputGradient", "LayerContract.parameterGradients",
                        "LayerContract.splitBatchTrainsAsTheWhole"),
                        "training output of a twin layer on a stream in the same state"),
                arguments(LayerFixtures.UnseededInit.class, Set.of("LayerContract.deterministic",
                        "LayerContract.drawsOnlyFromThePassStream", "LayerContract.splitBatchTrainsAsTheWhole"), ""),
                arguments(LayerFixtures.SequentialRandom.class, Set.of("LayerContract.splitBatchTrainsAsTheWhole"),
                        "Draw per row with uniform(row, index)"),
                arguments(LayerFixtures.PartMean.class, Set.of("LayerContract.splitBatchTrainsAsTheWhole"),
                        "buffer running_mean"),

                arguments(RegistrationFixtures.Correct.class, Set.of(), ""),
                arguments(RegistrationFixtures.NoProvides.class, Set.of("RegistrationContract.foundOnTheModulePath"),
                        "does not provide com.example.fixture.noprovides.SquareLossProvider, so a modular application will"
                                + " not find it. Add to its module-info.java: provides dev.nnkit.api.loss.LossProvider with"),
                arguments(RegistrationFixtures.NoServicesFile.class, Set.of("RegistrationContract.foundOnTheClassPath",
                        "RegistrationContract.foundOnTheModulePath"), "(the file is missing), so the nn command"),
                arguments(RegistrationFixtures.ServicesListMore.class, Set.of("RegistrationContract.foundOnTheModulePath"),
                        "lists [com.example.fixture.serviceslistmore.CubeLossProvider,"),
                arguments(RegistrationFixtures.SettingsNotExported.class,
                        Set.of("RegistrationContract.settingsReadableOnTheModulePath"), "Export the package to nnkit: add"
                                + " 'exports com.example.fixture.settingsnotexported.settings;'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    @DisplayName("fails each broken fixture in exactly the checks that its bug breaks, saying why")
    void catches(Class<?> fixture, Set<String> expected, String message) {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
        List<Event> failed = tests.failed().list();
        Set<String> failedChecks = new TreeSet<>();
        failed.forEach(e -> failedChecks.add(check(e)));
        assertThat(failedChecks).as("checks failed by %s: %s", fixture.getSimpleName(), messages(failed))
                .isEqualTo(new TreeSet<>(expected));
        assertThat(tests.succeeded().count()).as("checks passed").isPositive();
        if (!expected.isEmpty()) {
            assertThat(messages(failed)).as("what the failures say").contains(message);
        } else if (message.startsWith("skipped: ")) { // an author's deliberate opt-out
            assertThat(tests.started().stream().map(e -> e.getTestDescriptor().getSource().map(src ->
                    ((org.junit.platform.engine.support.descriptor.MethodSource) src).getMethodName()).orElse("")).toList())
                    .contains("gradientUnchanged").doesNotContain("zeroRateLeavesTheta", "usesTheGivenRate");
        } else {
            assertThat(tests.skipped().count()).as("checks skipped for a correct fixture").isZero();
        }
    }

    @Test
    @DisplayName("has a fixture that fails every one of its checks")
    void everyCheckCanFail() {
        Set<String> caught = new TreeSet<>();
        fixtures().forEach(a -> caught.addAll((Set<String>) a.get()[1]));
        Set<String> checks = new TreeSet<>();
        for (Class<?> contract : List.of(PluginContract.class, OptimizerContract.class, LossContract.class,
                ActivationContract.class, ScheduleContract.class,
                LayerContract.class, RegistrationContract.class)) {
            collectChecks(contract, checks);
        }
        assertThat(caught).as("checks some fixture fails").containsAll(checks);
    }

    private static void collectChecks(Class<?> type, Set<String> into) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(RepeatedTest.class)) {
                into.add(contractOf(m.getDeclaringClass()).getSimpleName() + "." + m.getName());
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            collectChecks(nested, into);
        }
    }

    private static Class<?> contractOf(Class<?> c) {
        while (c.getEnclosingClass() != null) {
            c = c.getEnclosingClass();
        }
        return c;
    }

    private static String check(Event e) {
        Method m = e.getTestDescriptor().getSource()
                .map(s -> ((org.junit.platform.engine.support.descriptor.MethodSource) s).getJavaMethod()).orElseThrow();
        return contractOf(m.getDeclaringClass()).getSimpleName() + "." + m.getName();
    }

    private static String messages(List<Event> failed) {
        List<String> out = new ArrayList<>();
        for (Event e : failed) {
            out.add(check(e) + ": " + e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                    .map(Throwable::getMessage).orElse(""));
        }
        return String.join("\n", out);
    }
}
