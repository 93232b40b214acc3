package dev.nnkit.verification;

import static dev.nnkit.verification.CliTest.nn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.verification.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Choosing columns, one-hot categories and filled missing cells, through nn train, predict and
 * evaluate on a shop CSV (an id, an age with gaps, a city, an income with NA cells, bought yes/no).
 * The oracle is the same training on the CSV encoded by hand (three 0/1 city columns, the gaps
 * filled with the median computed here): the weights must be the same bytes.
 */
@DisplayName("nn train with data.ignore, categories and data.missing")
class CliColumnsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> CITIES = List.of("Berlin", "Paris", "Rome");

    @TempDir
    Path dir;

    /** Rows of id, age ("" every 17th), city, income ("NA" every 23rd), bought. */
    private List<String[]> rows() {
        Random random = new Random(1);
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int age = 18 + random.nextInt(53);
            String city = CITIES.get(random.nextInt(3));
            double income = Math.round((50 + 15 * random.nextGaussian()) * 10) / 10.0;
            double score = (age - 40) / 10.0 + (city.equals("Paris") ? 1.5 : city.equals("Rome") ? -0.5 : 0)
                    + (income - 50) / 15 + 0.5 * random.nextGaussian();
            rows.add(new String[] {"c" + i, i % 17 == 0 ? "" : String.valueOf(age), city,
                    i % 23 == 0 ? "NA" : String.valueOf(income), score > 0 ? "yes" : "no"});
        }
        return rows;
    }

    private Path csv(String name, String header, List<String[]> rows) throws IOException {
        StringBuilder s = new StringBuilder(header).append('\n');
        rows.forEach(r -> s.append(String.join(",", r)).append('\n'));
        return Files.writeString(dir.resolve(name), s.toString());
    }

    private Path config(String name, String train, String data) throws IOException {
        return Files.writeString(dir.resolve(name), """
                {"data": {"train": "%s", "target": "bought", "normalize": "standardize"%s},
                 "layers": [{"type": "dense", "units": 16}, "relu", {"type": "dense", "units": 2}],
                 "loss": "sparse-categorical-cross-entropy-logits", "optimizer": {"type": "adam", "learningRate": 0.01},
                 "training": {"batchSize": 32, "maxEpochs": 20, "seed": 1}}
                """.formatted(train, data));
    }

    private static double median(List<String[]> rows, int column, String missing) {
        double[] v = rows.stream().filter(r -> !r[column].equals(missing)).mapToDouble(r -> Double.parseDouble(r[column]))
                .sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Test
    @DisplayName("ignores the id, one-hot encodes the city, fills gaps with the median: the same bytes as the CSV encoded by hand")
    void encodesAsByHand() throws IOException {
        List<String[]> rows = rows();
        csv("shop.csv", "id,age,city,income,bought", rows);
        Path run = dir.resolve("run");
        Run a = nn("train", "--quiet", "--config", config("shop.json", "shop.csv", ", \"ignore\": [\"id\"], \"missing\": "
                + "\"median\"").toString(), "--out", run.toString());
        assertThat(a.code()).as(a.err()).isZero();
        JsonNode model = JSON.readTree(run.resolve("model/model.json").toFile());
        assertThat(model.get("labels").get("features")).extracting(JsonNode::asString)
                .containsExactly("age", "city=Berlin", "city=Paris", "city=Rome", "income");
        double ageMedian = median(rows, 1, "");
        double incomeMedian = median(rows, 3, "NA");
        JsonNode inputs = model.get("columns").get("inputs");
        assertThat(Double.parseDouble(inputs.get(0).get("fill").asString())).isEqualTo(ageMedian);
        assertThat(inputs.get(1).get("categories")).extracting(JsonNode::asString).containsExactlyElementsOf(CITIES);
        assertThat(Double.parseDouble(inputs.get(2).get("fill").asString())).isEqualTo(incomeMedian);

        List<String[]> byHand = new ArrayList<>();
        for (String[] r : rows) {
            byHand.add(new String[] {r[1].isEmpty() ? Double.toString(ageMedian) : r[1], r[2].equals("Berlin") ? "1" : "0",
                    r[2].equals("Paris") ? "1" : "0", r[2].equals("Rome") ? "1" : "0",
                    r[3].equals("NA") ? Double.toString(incomeMedian) : r[3], r[4]});
        }
        csv("by-hand.csv", "age,city=Berlin,city=Paris,city=Rome,income,bought", byHand);
        Path oracle = dir.resolve("oracle");
        Run b = nn("train", "--quiet", "--config", config("hand.json", "by-hand.csv", "").toString(), "--out",
                oracle.toString());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(Files.readAllBytes(run.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(oracle.resolve("model/model.safetensors")));
        assertThat(a.out()).isEqualTo(b.out().replace(oracle.toString(), run.toString()));

        // predict reads by name: other order, extra columns, gaps filled; --keep copies the id
        Path fresh = Files.writeString(dir.resolve("new.csv"), "note,city,income,id,age\nx,Rome,40,n0,\ny,Paris,NA,n1,52\n");
        Path freshByHand = Files.writeString(dir.resolve("new-by-hand.csv"), String.format(Locale.ROOT,
                "age,city=Berlin,city=Paris,city=Rome,income\n%s,0,0,1,40\n52,0,1,0,%s\n", ageMedian, incomeMedian));
        Run p = nn("predict", "--model", run.toString(), "--data", fresh.toString(), "--keep", "id", "--probabilities");
        Run q = nn("predict", "--model", oracle.toString(), "--data", freshByHand.toString(), "--probabilities");
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(q.code()).as(q.err()).isZero();
        List<String> lines = p.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("id,prediction,p(no),p(yes)");
        assertThat(lines.subList(1, 3)).extracting(l -> l.substring(0, 3)).containsExactly("n0,", "n1,");
        assertThat(lines.subList(1, 3)).extracting(l -> l.substring(3))
                .containsExactlyElementsOf(q.out().lines().skip(1).toList());

        Run evaluate = nn("evaluate", "--model", run.toString(), "--data", dir.resolve("shop.csv").toString());
        Run evaluateByHand = nn("evaluate", "--model", oracle.toString(), "--data", dir.resolve("by-hand.csv").toString());
        assertThat(evaluate.code()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).isEqualTo(evaluateByHand.out());
    }

    @Test
    @DisplayName("an unknown category exits 4 naming the cell, or counts as none with unknownCategories: ignore")
    void unknownCategories() throws IOException {
        List<String[]> rows = rows().stream().map(r -> Arrays.copyOfRange(r, 1, 5)).toList();
        List<String[]> filled = rows.stream().map(r -> new String[] {r[0].isEmpty() ? "40" : r[0], r[1],
                r[2].equals("NA") ? "50" : r[2], r[3]}).toList();
        csv("shop.csv", "age,city,income,bought", filled);
        Path strict = dir.resolve("strict");
        assertThat(nn("train", "--quiet", "--config", config("a.json", "shop.csv", "").toString(), "--out",
                strict.toString()).code()).isZero();
        Path madrid = Files.writeString(dir.resolve("madrid.csv"), "age,city,income\n30,Madrid,40\n");
        Run r = nn("predict", "--model", strict.toString(), "--data", madrid.toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("madrid.csv at line 2, column 2 ('city'): the category 'Madrid' was not in the "
                + "training data; the model knows 'Berlin', 'Paris', 'Rome'.").contains("\"unknownCategories\": \"ignore\"");

        Path lenient = dir.resolve("lenient");
        assertThat(nn("train", "--quiet", "--config", config("b.json", "shop.csv", ", \"unknownCategories\": \"ignore\"")
                .toString(), "--out", lenient.toString()).code()).isZero();
        Run none = nn("predict", "--model", lenient.toString(), "--data", madrid.toString(), "--probabilities");
        assertThat(none.code()).as(none.err()).isZero();
        // the same as a row whose city is none of the three: checked through the Predictor on the encoded features
        dev.nnkit.io.model.Predictor predictor = dev.nnkit.io.model.Predictor.load(lenient);
        java.util.Map<String, Double> p = predictor.predict(30, 0, 0, 0, 40).probabilities();
        assertThat(none.out().lines().skip(1).findFirst().orElseThrow()).endsWith(
                "," + Float.toString(p.get("no").floatValue()) + "," + Float.toString(p.get("yes").floatValue()));
    }

    @Test
    @DisplayName("mistakes exit 4 naming the line, column or key, and the fix")
    void mistakes() throws IOException {
        csv("shop.csv", "id,age,city,income,bought", rows());
        Run gap = nn("train", "--quiet", "--config", config("a.json", "shop.csv", ", \"ignore\": [\"id\"]").toString());
        assertThat(gap.code()).isEqualTo(4);
        assertThat(gap.err()).contains("shop.csv at line 2, column 2 ('age'): the cell is missing; fill it in, drop the "
                + "row, or let nnkit fill missing cells from the training data with \"missing\": \"mean\"");
        Run id = nn("train", "--quiet", "--config", config("b.json", "shop.csv", ", \"missing\": \"mean\"").toString());
        assertThat(id.code()).isEqualTo(4);
        assertThat(id.err()).contains("column 1 ('id')").contains("holds 300 different words in 300 rows: an id or free "
                + "text").contains("\"ignore\": [\"id\"]");
        Run typo = nn("train", "--quiet", "--config", config("c.json", "shop.csv", ", \"ignore\": [\"idd\"]").toString());
        assertThat(typo.code()).isEqualTo(4);
        assertThat(typo.err()).contains("c.json at /data/ignore: the data has no column 'idd'. Did you mean 'id'?");
        Run both = nn("train", "--quiet", "--config", config("d.json", "shop.csv", ", \"ignore\": [\"id\"], \"features\": "
                + "[\"age\"]").toString());
        assertThat(both.code()).isEqualTo(4);
        assertThat(both.err()).contains("d.json at /data/ignore: \"features\" lists the columns to use");
        Run ignoredTarget = nn("train", "--quiet", "--config", config("g.json", "shop.csv", ", \"ignore\": [\"id\", "
                + "\"bought\"]").toString());
        assertThat(ignoredTarget.code()).isEqualTo(4);
        assertThat(ignoredTarget.err()).contains("g.json at /data/ignore: 'bought' is the target column");
        List<String[]> naTarget = rows();
        naTarget.get(6)[4] = "NA";
        csv("na.csv", "id,age,city,income,bought", naTarget);
        Run na = nn("train", "--quiet", "--config", config("h.json", "na.csv", ", \"ignore\": [\"id\"], \"missing\": "
                + "\"mean\"").toString());
        assertThat(na.code()).isEqualTo(4);
        assertThat(na.err()).contains("na.csv at line 8, column 5 ('bought'): the target 'NA' is not a finite number (a missing value)");
        Run target = nn("train", "--quiet", "--config", config("e.json", "shop.csv", ", \"features\": [\"age\", \"bought\"]")
                .toString());
        assertThat(target.code()).isEqualTo(4);
        assertThat(target.err()).contains("e.json at /data/features: 'bought' is the target column");

        List<String[]> typoCell = rows();
        typoCell.get(4)[3] = "fifty";
        csv("typo.csv", "id,age,city,income,bought", typoCell);
        Run cell = nn("train", "--quiet", "--config", config("f.json", "typo.csv", ", \"ignore\": [\"id\"], \"missing\": "
                + "\"mean\"").toString());
        assertThat(cell.code()).isEqualTo(4);
        assertThat(cell.err()).contains("typo.csv at line 6, column 4 ('income'): 'fifty' is not a number, and most of the "
                + "column is numbers");
    }

    @Test
    @DisplayName("data.features picks the columns and their order")
    void features() throws IOException {
        List<String[]> rows = rows().stream().map(r -> new String[] {r[0], r[1].isEmpty() ? "40" : r[1], r[2],
                r[3].equals("NA") ? "50" : r[3], r[4]}).toList();
        csv("shop.csv", "id,age,city,income,bought", rows);
        Path run = dir.resolve("run");
        Run r = nn("train", "--quiet", "--config", config("a.json", "shop.csv", ", \"features\": [\"income\", \"age\"]")
                .toString(), "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Trained 2-16-2");
        JsonNode model = JSON.readTree(run.resolve("model/model.json").toFile());
        assertThat(model.get("labels").get("features")).extracting(JsonNode::asString).containsExactly("income", "age");
        assertThat(model.has("columns")).as("plain numeric columns need no more than their names").isFalse();
        assertThat(model.get("formatVersion").asInt()).isEqualTo(2);
    }
}
