package dev.nnkit.io.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.csv.CsvTableReader.TargetKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("CsvTableReader")
class CsvTableReaderTest {
    @TempDir
    Path dir;

    LabeledTable read(String csv, Optional<String> target, TargetKind kind) throws IOException {
        return CsvTableReader.read(Files.writeString(dir.resolve("d.csv"), csv), target, kind, List.of(), DType.FLOAT64);
    }

    @Test
    @DisplayName("maps string labels to sorted class indices and one-hot rows; the target defaults to the last column")
    void classLabels() throws IOException {
        LabeledTable t = read("a,b,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n", Optional.empty(), TargetKind.AUTO);
        assertThat(t.featureNames()).containsExactly("a", "b");
        assertThat(t.classes()).containsExactly("setosa", "virginica");
        assertThat(t.target()).containsExactly(0, 1, 0);
        assertThat(t.targets(2, DType.FLOAT64).toDoubleArray()).containsExactly(1, 0, 0, 1, 1, 0);
        assertThat(t.features().toDoubleArray()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    @DisplayName("picks the target column by name, numeric labels sorting as numbers")
    void namedTargetAndNumericClasses() throws IOException {
        LabeledTable t = read("digit,x\n10,0.5\n2,1.5\n", Optional.of("digit"), TargetKind.CLASSES);
        assertThat(t.featureNames()).containsExactly("x");
        assertThat(t.classes()).containsExactly("2", "10");
        assertThat(t.target()).containsExactly(1, 0);
    }

    @Test
    @DisplayName("reports each malformed cell with its line and column")
    void malformed() {
        assertThatThrownBy(() -> read("a,b\n1,2\n,3\n", Optional.empty(), TargetKind.AUTO))
                .isInstanceOf(InvalidFileException.class)
                .hasMessageContaining("at line 3, column 1 ('a'): the cell is empty");
        assertThatThrownBy(() -> read("a,b\n1,2\n3,4,5\n", Optional.empty(), TargetKind.AUTO))
                .hasMessageContaining("at line 3: the row has 3 fields but the header has 2");
        assertThatThrownBy(() -> read("a,b\n1e999,2\n", Optional.empty(), TargetKind.AUTO))
                .hasMessageContaining("'1e999' is too large for a number");
        assertThatThrownBy(() -> read("a,b\n1,2\n", Optional.of("label"), TargetKind.AUTO))
                .hasMessageContaining("no column named 'label'. Columns: 'a', 'b'.");
        assertThatThrownBy(() -> read("a,b\n1,x\n", Optional.empty(), TargetKind.NUMBERS))
                .hasMessageContaining("line 2, column 2 ('b'): 'x' is not a number");
        assertThatThrownBy(() -> read("", Optional.empty(), TargetKind.AUTO)).hasMessageContaining("the file is empty");
    }
}
