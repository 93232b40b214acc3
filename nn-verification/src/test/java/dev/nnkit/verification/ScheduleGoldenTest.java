package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.schedule.EpochHistory;
import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every built-in learning-rate schedule gives torch.optim.lr_scheduler's rate for each of 30
 * epochs, within 1e-12 (src/test/resources/golden/generate_schedule_golden.py). Schedules are
 * given the run's whole history, as the trainer gives it: the training and validation losses
 * follow the golden loss sequence and the validation accuracy the accuracy sequence, so
 * reduce-on-plateau watching {@code validationAccuracy} is checked against mode="max".
 */
@DisplayName("Learning-rate schedules against torch.optim.lr_scheduler")
class ScheduleGoldenTest {
    static final PluginRegistry REGISTRY = PluginRegistry.discover();

    record Run(String schedule, Map<String, Object> config, double base, List<Double> losses, List<Double> accuracies,
               double[] rates) {
        @Override
        public String toString() {
            return schedule + " " + config;
        }
    }

    static Stream<Run> runs() throws IOException {
        try (InputStream in = ScheduleGoldenTest.class.getResourceAsStream("/golden/schedules.json")) {
            JsonNode root = JsonMapper.builder().build().readTree(in);
            List<Double> losses = new ArrayList<>();
            root.get("losses").forEach(n -> losses.add(n.asDouble()));
            List<Double> accuracies = new ArrayList<>();
            root.get("accuracies").forEach(n -> accuracies.add(n.asDouble()));
            List<Run> runs = new ArrayList<>();
            for (JsonNode r : root.get("runs")) {
                Map<String, Object> config = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : r.get("config").properties()) {
                    JsonNode v = e.getValue();
                    Object value;
                    if (v.isArray()) {
                        List<Object> list = new ArrayList<>();
                        v.forEach(x -> list.add(x.asInt()));
                        value = list;
                    } else if (v.isString()) {
                        value = v.asString();
                    } else {
                        value = v.isIntegralNumber() ? (Object) v.asLong() : (Object) v.asDouble();
                    }
                    config.put(e.getKey(), value);
                }
                runs.add(new Run(r.get("schedule").asString(), config, root.get("base").asDouble(), losses, accuracies,
                        GoldenCase.flatten(r.get("rates"))));
            }
            return runs.stream();
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("a schedule that watches a validation score says so, and refuses a history without it")
    void monitorIsDeclared() {
        LearningRateSchedule s = REGISTRY.schedule(new PluginSpec("reduce-on-plateau",
                Map.of("monitor", "validationAccuracy")));
        assertThat(s.monitor()).isEqualTo("validationAccuracy");
        assertThat(REGISTRY.schedule(PluginSpec.of("reduce-on-plateau")).monitor()).isEqualTo(EpochHistory.TRAIN_LOSS);
        assertThat(REGISTRY.schedule(PluginSpec.of("constant")).monitor()).isEqualTo(EpochHistory.TRAIN_LOSS);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.learningRate(0.1, 1, EpochHistory.ofTrainLoss(List.of(1.0))))
                .hasMessageContaining("watches validationAccuracy, which this run does not score");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void matchesTorch(Run run) {
        LearningRateSchedule s = REGISTRY.schedule(new PluginSpec(run.schedule(), run.config()));
        for (int epoch = 0; epoch < run.rates().length; epoch++) {
            EpochHistory history = new EpochHistory(Map.of(EpochHistory.TRAIN_LOSS, run.losses().subList(0, epoch),
                    "validationLoss", run.losses().subList(0, epoch),
                    "validationAccuracy", run.accuracies().subList(0, epoch)));
            double lr = s.learningRate(run.base(), epoch, history);
            assertThat(Math.abs(lr - run.rates()[epoch])).as("%s epoch %d: nnkit %.17g, torch %.17g", run, epoch, lr,
                    run.rates()[epoch]).isLessThanOrEqualTo(1e-12);
        }
    }
}
