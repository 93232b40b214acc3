package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

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
 * epochs, within 1e-12 (src/test/resources/golden/generate_schedule_golden.py).
 */
@DisplayName("Learning-rate schedules against torch.optim.lr_scheduler")
class ScheduleGoldenTest {
    static final PluginRegistry REGISTRY = PluginRegistry.discover();

    record Run(String schedule, Map<String, Object> config, double base, List<Double> losses, double[] rates) {
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
                    } else {
                        value = v.isIntegralNumber() ? (Object) v.asLong() : (Object) v.asDouble();
                    }
                    config.put(e.getKey(), value);
                }
                runs.add(new Run(r.get("schedule").asString(), config, root.get("base").asDouble(), losses,
                        GoldenCase.flatten(r.get("rates"))));
            }
            return runs.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void matchesTorch(Run run) {
        LearningRateSchedule s = REGISTRY.schedule(new PluginSpec(run.schedule(), run.config()));
        for (int epoch = 0; epoch < run.rates().length; epoch++) {
            double lr = s.learningRate(run.base(), epoch, run.losses().subList(0, epoch));
            assertThat(Math.abs(lr - run.rates()[epoch])).as("%s epoch %d: nnkit %.17g, torch %.17g", run, epoch, lr,
                    run.rates()[epoch]).isLessThanOrEqualTo(1e-12);
        }
    }
}
