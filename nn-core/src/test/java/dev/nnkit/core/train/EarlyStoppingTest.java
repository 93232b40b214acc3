package dev.nnkit.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.tensor.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Early stopping as Keras's EarlyStopping callback decides it (keras/src/callbacks/early_stopping.py:
 * wait += 1; an improvement resets it and never stops; otherwise stop once wait ≥ patience), and
 * the trainer around it: the run stops, ends with the best epoch's weights, and resumes to the same
 * bytes.
 */
@DisplayName("Early stopping")
class EarlyStoppingTest {

    private static EarlyStopping.Verdict judge(String monitor, int patience, double minDelta, Double... values) {
        return new EarlyStopping(monitor, patience, minDelta, true).judge(Arrays.asList(values));
    }

    @Nested
    @DisplayName("the rule")
    class Rule {
        @Test
        @DisplayName("a loss: stops after `patience` epochs without a lower value; an equal value is no improvement")
        void loss() {
            assertThat(judge("validationLoss", 2, 0, 1.0, 0.9, 0.95)).isEqualTo(new EarlyStopping.Verdict(2, 0.9, false));
            assertThat(judge("validationLoss", 2, 0, 1.0, 0.9, 0.95, 0.9)).isEqualTo(new EarlyStopping.Verdict(2, 0.9, true));
            assertThat(judge("validationLoss", 2, 0, 1.0, 0.9, 0.95, 0.89).stop()).isFalse();
        }

        @Test
        @DisplayName("an accuracy or R²: higher is better")
        void accuracy() {
            assertThat(judge("validationAccuracy", 2, 0, 0.5, 0.6, 0.6, 0.55)).isEqualTo(new EarlyStopping.Verdict(2, 0.6, true));
            assertThat(judge("trainR2", 1, 0, -0.5, -0.2, -0.3)).isEqualTo(new EarlyStopping.Verdict(2, -0.2, true));
        }

        @Test
        @DisplayName("minDelta: a change must exceed it to count")
        void minDelta() {
            assertThat(judge("trainLoss", 2, 0.01, 1.0, 0.995, 0.99)).isEqualTo(new EarlyStopping.Verdict(1, 1.0, true));
            assertThat(judge("trainLoss", 2, 0.01, 1.0, 0.995, 0.989)).isEqualTo(new EarlyStopping.Verdict(3, 0.989, false));
        }

        @Test
        @DisplayName("patience 0 stops at the first epoch without improvement, never at one with")
        void patienceZero() {
            assertThat(judge("validationLoss", 0, 0, 1.0).stop()).isFalse();
            assertThat(judge("validationLoss", 0, 0, 1.0, 0.9).stop()).isFalse();
            assertThat(judge("validationLoss", 0, 0, 1.0, 0.9, 0.9).stop()).isTrue();
        }

        @Test
        @DisplayName("NaN never improves; no history, no verdict")
        void nan() {
            assertThat(judge("validationLoss", 1, 0, Double.NaN)).isEqualTo(new EarlyStopping.Verdict(0, Double.NaN, true));
            assertThat(judge("validationLoss", 2, 0, 0.5, Double.NaN, Double.NaN)).isEqualTo(
                    new EarlyStopping.Verdict(1, 0.5, true));
            assertThat(judge("validationLoss", 1, 0)).isEqualTo(new EarlyStopping.Verdict(0, Double.NaN, false));
        }

        @Test
        @DisplayName("refuses a score nnkit does not compute, a negative patience and a bad minDelta, naming the setting")
        void badSettings() {
            assertThatThrownBy(() -> new EarlyStopping("val_loss", 1, 0, true)).hasMessageStartingWith("monitor must be one of")
                    .hasMessageContaining("validationLoss").hasMessageContaining("\"val_loss\"");
            assertThatThrownBy(() -> new EarlyStopping("validationLoss", -1, 0, true)).hasMessageStartingWith("patience ");
            assertThatThrownBy(() -> new EarlyStopping("validationLoss", 1, Double.NaN, true)).hasMessageStartingWith("minDelta ");
            assertThatThrownBy(() -> new EarlyStopping("validationLoss", 1, -0.1, true)).hasMessageStartingWith("minDelta ");
        }
    }

    /**
     * A validation loss scripted by epoch (epoch = steps / 5: the line data's 25 rows in batches of 5),
     * so the test knows where the best epoch is.
     */
    static final class Scripted implements EpochScorer {
        private final double[] byEpoch;

        Scripted(double... byEpoch) {
            this.byEpoch = byEpoch;
        }

        @Override
        public List<String> names() {
            return List.of("validationLoss");
        }

        @Override
        public Map<String, Double> score(Trainer trainer) {
            return Map.of("validationLoss", byEpoch[(int) (trainer.iterations() / 5) - 1]);
        }
    }

    private static final double[] SCRIPT = {5, 4, 3, 3.5, 3.6, 2.9, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5};

    private static Trainer trainer(int maxEpochs, boolean restoreBest, List<double[]> weightsByEpoch) {
        Trainer t = TrainerTest.momentumTrainer(TrainingOptions.defaults().withBatchSize(5).withMaxEpochs(maxEpochs));
        t.addScorer(new Scripted(SCRIPT));
        t.stopEarly(new EarlyStopping("validationLoss", 3, 0, restoreBest), null);
        t.addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEvent e) {
                weightsByEpoch.add(weights(t));
            }
        });
        return t;
    }

    private static double[] weights(Trainer t) {
        return t.network().parameters().stream().flatMapToDouble(p -> Arrays.stream(
                p.parameter().value().toDoubleArray())).toArray();
    }

    private static Dataset data() {
        Dataset d = TrainerTest.line();
        return new Dataset(d.features().to(DType.FLOAT32), d.targets().to(DType.FLOAT32));
    }

    @Test
    @DisplayName("the trainer stops 3 epochs after the best (epoch 6 of 12) and ends with epoch 6's weights")
    void stopsAndRestoresTheBest() {
        List<double[]> seen = new ArrayList<>();
        Trainer t = trainer(12, true, seen);
        TrainingResult r = t.fit(data());
        assertThat(r.reason()).isEqualTo(StopReason.EARLY_STOPPED);
        assertThat(r.epochs()).isEqualTo(9);
        assertThat(r.restoredEpoch()).isEqualTo(6);
        assertThat(r.history().values("validationLoss").orElseThrow()).containsExactly(5.0, 4.0, 3.0, 3.5, 3.6, 2.9, 3.0,
                3.1, 3.2);
        assertThat(weights(t)).containsExactly(seen.get(5)).isNotEqualTo(seen.get(8));
        assertThat(t.best().orElseThrow().epoch()).isEqualTo(7); // the state after epoch 6 resumes into epoch 7
    }

    @Test
    @DisplayName("without restoreBest the network keeps its last weights; the best state is still kept")
    void keepsLastWeightsWhenAsked() {
        List<double[]> seen = new ArrayList<>();
        Trainer t = trainer(12, false, seen);
        TrainingResult r = t.fit(data());
        assertThat(r.restoredEpoch()).isZero();
        assertThat(weights(t)).containsExactly(seen.get(8));
        assertThat(t.best().orElseThrow().parameters().values().stream().flatMapToDouble(Arrays::stream).toArray())
                .containsExactly(seen.get(5));
    }

    @Test
    @DisplayName("a run resumed after its best epoch, given its best state back, ends with the same bytes and scores")
    void resumesToTheSameBytes() {
        List<double[]> seen = new ArrayList<>();
        Trainer straight = trainer(12, true, seen);
        TrainingResult full = straight.fit(data());

        Trainer first = trainer(7, true, new ArrayList<>());
        List<TrainingState> atEnd = new ArrayList<>();
        List<TrainingState> bests = new ArrayList<>();
        first.checkpointAtEnd(atEnd::add);
        first.stopEarly(new EarlyStopping("validationLoss", 3, 0, true), bests::add);
        first.fit(data());
        assertThat(bests).extracting(TrainingState::epoch).containsExactly(2, 3, 4, 7);
        assertThat(atEnd.get(0).epochScores().get("validationLoss")).containsExactly(5.0, 4.0, 3.0, 3.5, 3.6, 2.9, 3.0);

        Trainer rest = trainer(12, true, new ArrayList<>());
        rest.resumeBest(bests.get(bests.size() - 1));
        TrainingResult resumed = rest.resume(data(), atEnd.get(0));
        assertThat(weights(rest)).containsExactly(weights(straight));
        assertThat(resumed.reason()).isEqualTo(full.reason());
        assertThat(resumed.restoredEpoch()).isEqualTo(6);
        assertThat(resumed.history()).isEqualTo(full.history());
    }

    @Test
    @DisplayName("resumed without the best state it must end with, the run refuses to start")
    void resumeWithoutTheBestIsRefused() {
        Trainer first = trainer(7, true, new ArrayList<>());
        List<TrainingState> atEnd = new ArrayList<>();
        first.checkpointAtEnd(atEnd::add);
        first.fit(data());
        Trainer rest = trainer(12, true, new ArrayList<>());
        assertThatThrownBy(() -> rest.resume(data(), atEnd.get(0))).isInstanceOf(StateMismatchException.class)
                .hasMessageContaining("best epoch so far is 6");
    }

    @Test
    @DisplayName("watching a score no scorer computes is refused before the first step")
    void unscoredMonitorIsRefused() {
        Trainer t = TrainerTest.momentumTrainer(TrainingOptions.defaults().withBatchSize(5));
        t.stopEarly(EarlyStopping.defaults(), null);
        assertThatThrownBy(() -> t.fit(data())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("watches validationLoss, which this run does not score")
                .hasMessageContaining("needs validation data");
        assertThat(t.iterations()).isZero();
    }
}
