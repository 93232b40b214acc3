package dev.nnkit.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomStreams;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one-pass evaluation a run reports at its end gives what the two separate passes give. */
@DisplayName("Trainer.evaluate")
class EvaluationTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    @DisplayName("equals evaluateLoss and predict bit for bit, over 2,500 rows (three inference passes; loss batches of 96 with a short last one)")
    void equalsSeparatePasses(DType dtype) {
        RandomStreams random = new RandomStreams(3);
        Network net = new NetworkFactory(TrainerTest.REGISTRY).build(NetworkSpec.builder(20).dense(64)
                .activation("relu").dense(5).dtype(dtype).build(), random.next());
        Trainer t = new Trainer(net, new LossFunction(TrainerTest.HALF_SSE, Reduction.MEAN), TrainerTest.sgd(0.1),
                TrainerTest.REGISTRY.activation(PluginSpec.of("softmax")), TrainingOptions.defaults().withBatchSize(96),
                random.next());
        int n = 2500; // three inference passes of at most 1,024 rows; the loss in 27 batches, the last of 4 rows
        SplittableRandom r = new SplittableRandom(11);
        Tensor x = Tensor.zeros(dtype, Shape.of(n, 20));
        Tensor y = Tensor.zeros(dtype, Shape.of(n, 5));
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble(-2, 2));
        }
        for (int i = 0; i < y.size(); i++) {
            y.set(i, r.nextDouble());
        }
        Dataset data = new Dataset(x, y);

        Trainer.Evaluation e = t.evaluate(data);

        assertThat(e.loss()).isEqualTo(t.evaluateLoss(data));
        double[] each = new double[n]; // the same loss summed in one piece instead of in batches
        t.lossFunction().evaluate(net.infer(x), y, Tensor.zeros(dtype, Shape.of(n, 5)), each);
        double mean = java.util.Arrays.stream(each).sum() / n;
        assertThat(e.loss()).isPositive().isCloseTo(mean, org.assertj.core.data.Percentage.withPercentage(1e-9));
        assertThat(e.predictions().shape()).isEqualTo(Shape.of(n, 5));
        assertThat(e.predictions().toDoubleArray()).containsExactly(t.predict(x).toDoubleArray());
    }
}
