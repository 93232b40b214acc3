package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** The kit is real: run through the JUnit engine, it fails a plugin with a wrong gradient, and says where. */
@DisplayName("The test kit")
class ContractsCatchBugsTest {

    @Test
    @DisplayName("fails a loss whose gradient is half the truth, naming the index, the analytic and the numeric value")
    void failsWrongGradient() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(BrokenLossFixture.class))
                .execute().testEvents();
        List<Event> failed = tests.failed().list();
        assertThat(failed).hasSize(5); // the five repetitions of the gradient check
        String message = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow().getMessage();
        assertThat(message).startsWith("Gradient of prediction[0] is wrong: analytic ")
                .contains("numeric (central difference)").contains("relative error 0.500");
        assertThat(tests.succeeded().count()).as("the other checks still pass")
                .isEqualTo(tests.started().count() - 5).isGreaterThanOrEqualTo(8);
    }

    @Test
    @DisplayName("fails an optimizer that keeps state outside its slots, saying restore lost it")
    void failsHiddenState() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(HiddenStateOptimizerFixture.class))
                .execute().testEvents();
        List<Event> failed = tests.failed().list();
        assertThat(failed).hasSize(1);
        String message = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow().getMessage();
        assertThat(message).startsWith("After restoring the state saved at step 5 into a new optimizer, step 6 gives θ[0]")
                .contains("must live in the declared state slots []");
    }
}
