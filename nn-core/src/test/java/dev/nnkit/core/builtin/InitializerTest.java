package dev.nnkit.core.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.init.Initializer;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.config.InitializerConfig;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InitializerTest {
    static final int FAN_IN = 200;
    static final int FAN_OUT = 100;

    static Stream<Arguments> initializers() {
        double glorotBound = Math.sqrt(6.0 / (FAN_IN + FAN_OUT));
        double heBound = Math.sqrt(6.0 / FAN_IN);
        return Stream.of(
                // uniform U(−a, a) has standard deviation a/√3
                Arguments.of(new InitializerProviders.GlorotUniform(), glorotBound / Math.sqrt(3), glorotBound),
                Arguments.of(new InitializerProviders.GlorotNormal(), Math.sqrt(2.0 / (FAN_IN + FAN_OUT)), Double.NaN),
                Arguments.of(new InitializerProviders.HeUniform(), heBound / Math.sqrt(3), heBound),
                Arguments.of(new InitializerProviders.HeNormal(), Math.sqrt(2.0 / FAN_IN), Double.NaN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("initializers")
    @DisplayName("draws zero-mean weights with torch.nn.init's spread")
    void spread(InitializerProviders.Base provider, double expectedStd, double bound) {
        Tensor w = Tensor.zeros(DType.FLOAT64, Shape.of(FAN_OUT, FAN_IN));
        provider.create(new InitializerConfig(1)).initialize(w, FAN_IN, FAN_OUT, new SplittableRandom(1));
        SummaryStatistics s = new SummaryStatistics();
        for (double v : w.toDoubleArray()) {
            s.addValue(v);
        }
        // 20,000 draws: the sample std is within 3% and the mean within 4 standard errors.
        assertThat(s.getStandardDeviation()).isCloseTo(expectedStd, org.assertj.core.data.Percentage.withPercentage(3));
        assertThat(Math.abs(s.getMean())).isLessThan(4 * expectedStd / Math.sqrt(s.getN()));
        if (!Double.isNaN(bound)) {
            assertThat(s.getMax()).isLessThanOrEqualTo(bound);
            assertThat(s.getMin()).isGreaterThanOrEqualTo(-bound);
        }
    }

    @Test
    @DisplayName("gives the same weights for the same seed and different ones for another")
    void seeded() {
        Initializer init = new InitializerProviders.HeNormal().create(new InitializerConfig(1));
        Tensor a = Tensor.zeros(DType.FLOAT32, Shape.of(3, 4));
        Tensor b = Tensor.zeros(DType.FLOAT32, Shape.of(3, 4));
        Tensor c = Tensor.zeros(DType.FLOAT32, Shape.of(3, 4));
        init.initialize(a, 4, 3, new SplittableRandom(9));
        init.initialize(b, 4, 3, new SplittableRandom(9));
        init.initialize(c, 4, 3, new SplittableRandom(10));
        assertThat(a.toDoubleArray()).containsExactly(b.toDoubleArray());
        assertThat(a.toDoubleArray()).isNotEqualTo(c.toDoubleArray());
    }
}
