package dev.nnkit.io.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.io.csv.LabeledTable;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("data.validationSplit")
class ValidationSplitTest {

    /** {@code counts[c]} rows of class c, interleaved; feature k of row r is 10·r + k, so rows can be traced. */
    private static LabeledTable classes(DType dtype, int... counts) {
        int n = IntStream.of(counts).sum();
        double[] target = new double[n];
        int[] left = counts.clone();
        for (int r = 0, c = 0; r < n; c = (c + 1) % counts.length) {
            if (left[c] > 0) {
                left[c]--;
                target[r++] = c;
            }
        }
        return table(dtype, target, List.of("a", "b", "c").subList(0, counts.length));
    }

    private static LabeledTable table(DType dtype, double[] target, List<String> classes) {
        int n = target.length;
        Tensor f = Tensor.zeros(dtype, Shape.of(n, 3));
        for (int i = 0; i < n * 3; i++) {
            f.set(i, 10 * (i / 3) + i % 3);
        }
        return new LabeledTable(List.of("x", "y", "z"), "kind", f, target, classes);
    }

    private static long count(double[] target, int c) {
        return Arrays.stream(target).filter(t -> t == c).count();
    }

    @Test
    @DisplayName("stratified: each class gives its share, the total is round(fraction · rows)")
    void stratified() {
        ValidationSplit s = ValidationSplit.of(classes(DType.FLOAT32, 50, 30, 20), 0.2, 7);
        assertThat(s.validation().rows()).isEqualTo(20);
        assertThat(s.train().rows()).isEqualTo(80);
        assertThat(count(s.validation().target(), 0)).isEqualTo(10);
        assertThat(count(s.validation().target(), 1)).isEqualTo(6);
        assertThat(count(s.validation().target(), 2)).isEqualTo(4);
        // shares of 2.5, 1.5 and 1.0 make 4 whole rows of 5: the one left goes to the largest remainder, 0.5, tied
        // between classes 0 and 1 and given to the lower
        ValidationSplit odd = ValidationSplit.of(classes(DType.FLOAT32, 5, 3, 2), 0.5, 7);
        assertThat(odd.validation().rows()).isEqualTo(5);
        assertThat(count(odd.validation().target(), 0)).isEqualTo(3);
        assertThat(count(odd.validation().target(), 1)).isEqualTo(1);
        assertThat(count(odd.validation().target(), 2)).isEqualTo(1);
    }

    @Test
    @DisplayName("every row lands in exactly one part with its own features and target, in the file's order")
    void partition() {
        for (DType dtype : DType.values()) {
            LabeledTable t = classes(dtype, 40, 25);
            ValidationSplit s = ValidationSplit.of(t, 0.3, 3);
            int[] held = s.validationRows();
            assertThat(held).isSorted().doesNotHaveDuplicates();
            int[] kept = IntStream.range(0, t.rows()).filter(r -> Arrays.binarySearch(held, r) < 0).toArray();
            assertThat(s.train().rows()).isEqualTo(kept.length);
            for (int i = 0; i < held.length; i++) {
                assertThat(s.validation().features().get(i * 3 + 2)).isEqualTo(10.0 * held[i] + 2);
                assertThat(s.validation().target()[i]).isEqualTo(t.target()[held[i]]);
            }
            for (int i = 0; i < kept.length; i++) {
                assertThat(s.train().features().get(i * 3)).isEqualTo(10.0 * kept[i]);
                assertThat(s.train().target()[i]).isEqualTo(t.target()[kept[i]]);
            }
            assertThat(s.train().classes()).isEqualTo(t.classes());
            assertThat(s.validation().features().dtype()).isEqualTo(dtype);
        }
    }

    @Test
    @DisplayName("the seed fixes the draw: the same seed holds out the same rows, another seed others")
    void seeded() {
        LabeledTable t = classes(DType.FLOAT64, 60, 60);
        assertThat(ValidationSplit.of(t, 0.25, 42).validationRows()).isEqualTo(ValidationSplit.of(t, 0.25, 42).validationRows());
        assertThat(ValidationSplit.of(t, 0.25, 42).validationRows()).isNotEqualTo(ValidationSplit.of(t, 0.25, 43).validationRows());
        // not simply the first or last rows of each class
        int[] held = ValidationSplit.of(t, 0.25, 42).validationRows();
        assertThat(held[held.length - 1] - held[0]).isGreaterThan(60);
    }

    @Test
    @DisplayName("numeric targets: a plain seeded draw of round(fraction · rows) rows")
    void regression() {
        double[] y = IntStream.range(0, 50).mapToDouble(i -> i * 0.5).toArray();
        ValidationSplit s = ValidationSplit.of(table(DType.FLOAT32, y, List.of()), 0.1, 1);
        assertThat(s.validation().rows()).isEqualTo(5);
        assertThat(s.validation().classes()).isEmpty();
        for (int i = 0; i < 5; i++) {
            assertThat(s.validation().target()[i]).isEqualTo(s.validationRows()[i] * 0.5);
        }
    }

    @Test
    @DisplayName("a split that leaves either part empty is refused with the counts and the fix")
    void emptyPart() {
        LabeledTable t = classes(DType.FLOAT32, 3, 2);
        assertThatThrownBy(() -> ValidationSplit.of(t, 0.05, 1)).hasMessageContaining("of 5 rows holds out 0 rows")
                .hasMessageContaining("Use a larger fraction");
        assertThatThrownBy(() -> ValidationSplit.of(t, 0.95, 1)).hasMessageContaining("holds out 5 rows, leaving 0")
                .hasMessageContaining("Use a smaller fraction");
        assertThatThrownBy(() -> ValidationSplit.of(t, 1, 1)).hasMessageContaining("above 0 and below 1");
    }
}
