package dev.nnkit.io.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.writer.CsvWriter;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.csv.LabeledTable;
import dev.nnkit.io.data.MinMaxScaler;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.data.Standardizer;
import dev.nnkit.io.safetensors.Safetensors;
import dev.nnkit.io.safetensors.TensorSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Round trips of everything nnkit writes and reads back. */
class RoundTripProperties {

    /** A tensor of random shape and dtype with random finite values, extremes included. */
    @Provide
    Arbitrary<Tensor> tensors() {
        Arbitrary<int[]> shapes = Arbitraries.integers().between(1, 6).array(int[].class).ofMinSize(1).ofMaxSize(3);
        Arbitrary<DType> dtypes = Arbitraries.of(DType.class);
        return Combinators.combine(shapes, dtypes, Arbitraries.longs()).as((dims, dtype, seed) -> {
            java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
            Tensor t = Tensor.zeros(dtype, Shape.of(dims));
            double[] special = {0.0, -0.0, Double.MIN_VALUE, 1e300, -1e-300, Float.MAX_VALUE, Float.MIN_VALUE};
            for (int i = 0; i < t.size(); i++) {
                double v = r.nextInt(5) == 0 ? special[r.nextInt(special.length)] : r.nextDouble(-1e6, 1e6);
                t.set(i, dtype == DType.FLOAT32 && Math.abs(v) > Float.MAX_VALUE ? Math.signum(v) : v);
            }
            return t;
        });
    }

    @Property(tries = 200, seed = "7")
    @Label("safetensors: write then read gives the same tensors, bit for bit")
    void safetensorsRoundTrip(@ForAll("tensors") Tensor a, @ForAll("tensors") Tensor b, @ForAll("tensors") Tensor c)
            throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("0.weight", a);
        in.put("0.bias", b);
        in.put("layer.2.weight", c);
        Map<String, TensorSpec> specs = new LinkedHashMap<>();
        in.forEach((k, v) -> specs.put(k, new TensorSpec(v.dtype(), v.shape())));
        Path f = Files.createTempFile("roundtrip", ".safetensors");
        try {
            Safetensors.write(f, in, Map.of("k", "v"));
            Safetensors.Contents out = Safetensors.read(f, specs, Safetensors.NonFinite.REJECT);
            assertThat(out.metadata()).containsEntry("k", "v");
            for (String k : in.keySet()) {
                double[] x = in.get(k).toDoubleArray();
                double[] y = out.tensors().get(k).toDoubleArray();
                assertThat(out.tensors().get(k).dtype()).isEqualTo(in.get(k).dtype());
                for (int i = 0; i < x.length; i++) {
                    assertThat(Double.doubleToRawLongBits(y[i])).isEqualTo(Double.doubleToRawLongBits(x[i]));
                }
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 150, seed = "7")
    @Label("CSV: a table written by FastCSV reads back with the same numbers and class labels")
    void csvRoundTrip(@ForAll("tables") List<List<String>> rows) throws IOException {
        StringWriter sw = new StringWriter();
        try (CsvWriter w = CsvWriter.builder().build(sw)) {
            rows.forEach(w::writeRecord);
        }
        Path f = Files.createTempFile("roundtrip", ".csv");
        try {
            Files.writeString(f, sw.toString());
            LabeledTable t = CsvTableReader.read(f, Optional.empty(), CsvTableReader.TargetKind.CLASSES, List.of(),
                    DType.FLOAT64);
            int cols = rows.get(0).size();
            assertThat(t.featureNames()).isEqualTo(rows.get(0).subList(0, cols - 1));
            TreeSet<String> labels = new TreeSet<>();
            rows.subList(1, rows.size()).forEach(r -> labels.add(r.get(cols - 1)));
            assertThat(t.classes()).containsExactlyElementsOf(labels);
            for (int r = 1; r < rows.size(); r++) {
                for (int c = 0; c < cols - 1; c++) {
                    assertThat(t.features().get((r - 1) * (cols - 1) + c)).isEqualTo(Double.parseDouble(rows.get(r).get(c)));
                }
                assertThat(t.classes().get((int) t.target()[r - 1])).isEqualTo(rows.get(r).get(cols - 1));
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** A header of 1–4 feature names plus "label", then 1–15 rows of numbers and a label with commas or quotes. */
    @Provide
    Arbitrary<List<List<String>>> tables() {
        return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 15),
                Arbitraries.longs()).as((features, n, seed) -> {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
                    String[] names = {"a", "b b", "c,\"c\"", "d"};
                    String[] labels = {"cat", "dog, big", "\"quoted\"", "ünï", "x\ny"};
                    List<List<String>> rows = new ArrayList<>();
                    List<String> header = new ArrayList<>(List.of(names).subList(0, features));
                    header.add("label");
                    rows.add(header);
                    for (int i = 0; i < n; i++) {
                        List<String> row = new ArrayList<>();
                        for (int c = 0; c < features; c++) {
                            row.add(Double.toString(r.nextDouble(-1e9, 1e9)));
                        }
                        row.add(labels[r.nextInt(labels.length)]);
                        rows.add(row);
                    }
                    return rows;
                });
    }

    @Property(tries = 100, seed = "7")
    @Label("normalizers: rebuilt from their stored numbers they transform identically; fitted data lands in range")
    void normalizers(@ForAll("tensors") Tensor x) {
        Tensor m = x.to(DType.FLOAT64);
        Tensor matrix = Tensor.of(DType.FLOAT64, Shape.of(m.shape().rows(), m.shape().cols()), m.toDoubleArray());
        List<Normalizer> fitted = new ArrayList<>(List.of(Standardizer.fit(matrix)));
        try {
            fitted.add(MinMaxScaler.fit(matrix));
        } catch (IllegalArgumentException e) {
            // only when a column's range is beyond a double, which the extremes can produce
            assertThat(e).hasMessageContaining("its range overflows a double");
        }
        for (Normalizer n : fitted) {
            Normalizer rebuilt = Normalizer.of(n.type(), n.shift(), n.scale());
            Tensor a = matrix.copy();
            Tensor b = matrix.copy();
            n.apply(a);
            rebuilt.apply(b);
            assertThat(b.toDoubleArray()).containsExactly(a.toDoubleArray());
            if (n instanceof MinMaxScaler) {
                for (double v : a.toDoubleArray()) {
                    assertThat(v).isBetween(-1e-12, 1 + 1e-12);
                }
            }
        }
    }
}
