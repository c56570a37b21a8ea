package dev.unroll.data;

import static dev.unroll.data.MessageAssert.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.CsvSeries.Header;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSeriesTest {
    @TempDir
    Path dir;

    private Path csv(String content) throws IOException {
        return Files.writeString(dir.resolve("series.csv"), content);
    }

    @Test
    void aColumnByHeaderName() throws Exception {
        Path file = csv("date,open,close\n2024-01-01,1.5,2\n2024-01-02,2.5,-3e-1\n");
        assertArrayEquals(new float[] {2f, -0.3f}, CsvSeries.column("close").read(file));
        assertArrayEquals(new float[] {1.5f, 2.5f}, CsvSeries.column(" open ").read(file));
    }

    @Test
    void aColumnByIndexDetectsWhetherTheFirstRowIsAHeader() throws Exception {
        Path withHeader = csv("t,y\n0,10\n1,11\n");
        assertArrayEquals(new float[] {10, 11}, CsvSeries.column(1).read(withHeader));
        Path withoutHeader = Files.writeString(dir.resolve("bare.csv"), "0,10\n1,11\n");
        assertArrayEquals(new float[] {10, 11}, CsvSeries.column(1).read(withoutHeader));
        assertArrayEquals(new float[] {0, 1}, CsvSeries.column(0).read(withoutHeader));
    }

    @Test
    void aForcedHeaderSettingWins() throws Exception {
        Path numericHeader = csv("2024\n5\n6\n");
        assertArrayEquals(new float[] {5, 6}, CsvSeries.column(0).header(Header.PRESENT).read(numericHeader));
        assertArrayEquals(new float[] {2024, 5, 6}, CsvSeries.column(0).header(Header.ABSENT).read(numericHeader));
        Path textFirst = Files.writeString(dir.resolve("text.csv"), "y\n5\n");
        assertMentions(assertThrows(DataFileException.class,
                () -> CsvSeries.column(0).header(Header.ABSENT).read(textFirst)),
                textFirst + ":1: column index 0: \"y\" is not a number");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> CsvSeries.column("y").header(Header.AUTO)),
                "chosen by name", "header row");
    }

    @Test
    void semicolonAndTabSeparatorsAreDetected() throws Exception {
        Path semicolons = csv("a;b\n1,5;2\n3,5;4\n");
        assertArrayEquals(new float[] {2, 4}, CsvSeries.column("b").read(semicolons),
                "decimal commas do not fool the detection");
        Path tabs = Files.writeString(dir.resolve("tabs.tsv"), "a\tb\n1\t2\n3\t4\n");
        assertArrayEquals(new float[] {2, 4}, CsvSeries.column("b").read(tabs));
        Path single = Files.writeString(dir.resolve("single.csv"), "value\n1\n2\n");
        assertArrayEquals(new float[] {1, 2}, CsvSeries.column(0).read(single));
    }

    @Test
    void aForcedSeparatorIsUsed() throws Exception {
        Path pipes = csv("a|b\n1|2\n");
        assertArrayEquals(new float[] {2}, CsvSeries.column("b").separator('|').read(pipes));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> CsvSeries.column(0).separator('"')),
                "separator cannot be '\"'");
    }

    @Test
    void aSpreadsheetExportReads() throws Exception {
        // Byte-order mark, CRLF, semicolons, quoted header names and a quoted number: see the fixture.
        Path file = Path.of(getClass().getResource("/data/csv/daily.csv").toURI());
        assertArrayEquals(new float[] {-1.5f, 0.25f, 2.75f, 10f}, CsvSeries.column("temperature, °C").read(file));
        assertArrayEquals(new float[] {3, 4, 5, 6}, CsvSeries.column("station \"north\"").read(file));
        assertArrayEquals(new float[] {-1.5f, 0.25f, 2.75f, 10f}, CsvSeries.column(1).read(file));
    }

    @Test
    void blankLinesAreSkippedButCountedInLineNumbers() throws Exception {
        Path file = csv("\n  \nt,y\n0,1\n\n1,oops\n");
        DataFileException e = assertThrows(DataFileException.class, () -> CsvSeries.column("y").read(file));
        assertEquals(file + ":6: column \"y\" (index 1): \"oops\" is not a number", e.getMessage());
        assertEquals(6, e.line());
        assertEquals(file, e.file());
    }

    @Test
    void emptyAndNonFiniteCellsAreNotNumbers() throws Exception {
        Path empty = csv("t,y\n0,1\n1,\n");
        assertMentions(assertThrows(DataFileException.class, () -> CsvSeries.column("y").read(empty)),
                ":3: column \"y\" (index 1): empty cell is not a number");
        for (String cell : new String[] {"NaN", "Infinity", "1e40", "2.5f", "0x"}) {
            Path file = csv("y\n1\n" + cell + "\n");
            assertMentions(assertThrows(DataFileException.class, () -> CsvSeries.column(0).read(file)),
                    ":3: column \"y\" (index 0): \"" + cell + "\" is not a number");
        }
    }

    @Test
    void aMissingColumnNameListsTheHeader() throws Exception {
        Path file = csv("date,open,close\n2024-01-01,1,2\n");
        assertMentions(assertThrows(DataFileException.class, () -> CsvSeries.column("volume").read(file)),
                file + ":1: no column named \"volume\"; the header has 3: date, open, close");
    }

    @Test
    void anIndexBeyondTheRowSaysHowManyFieldsThereAre() throws Exception {
        Path file = csv("1,2\n3,4\n");
        assertMentions(assertThrows(DataFileException.class, () -> CsvSeries.column(2).read(file)),
                file + ":1: column index 2 is out of range: the row has 2 fields (separator ',')");
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "t,y\n0,1\n\n5\n");
        assertMentions(assertThrows(DataFileException.class, () -> CsvSeries.column("y").read(ragged)),
                ragged + ":4: column \"y\" (index 1) is missing: the row has 1 field");
    }

    @Test
    void anUnclosedQuoteIsReportedOnItsLine() throws Exception {
        Path file = csv("y\n1\n\"2\n");
        assertMentions(assertThrows(DataFileException.class, () -> CsvSeries.column(0).read(file)),
                file + ":3: a quoted field opened on this line is not closed (the file ends inside it)");
    }

    @Test
    void anEmptyFileIsAnEmptySeriesUnlessAHeaderIsRequired() throws Exception {
        Path file = csv("\n\n");
        assertEquals(0, CsvSeries.column(0).read(file).length);
        assertMentions(assertThrows(DataFileException.class, () -> CsvSeries.column("y").read(file)),
                file + ": no header row");
        Path headerOnly = Files.writeString(dir.resolve("header-only.csv"), "y\n");
        assertEquals(0, CsvSeries.column("y").read(headerOnly).length);
    }

    @Test
    void textThatIsNotUtf8IsReported() throws Exception {
        Path file = Files.write(dir.resolve("latin1.csv"), new byte[] {'y', '\n', (byte) 0xE9, '\n'});
        assertMentions(assertThrows(DataFileException.class, () -> CsvSeries.column(0).read(file)),
                file + ":2: not UTF-8 text");
    }

    @Test
    void hexFloatsAndOtherJavaFormsAreNotNumbers() throws Exception {
        for (String cell : new String[] {"0x1p3", "0X10", "1_000", "1d", "+Infinity", "1e", ".", "-", "1.2.3"}) {
            Path file = csv("y\n1\n" + cell + "\n");
            assertMentions(assertThrows(DataFileException.class, () -> CsvSeries.column(0).read(file)),
                    ":3: column \"y\" (index 0): \"" + cell + "\" is not a number");
        }
        assertArrayEquals(new float[] {1, 0.5f, 5, -2e-3f, 30}, CsvSeries.column(0).read(csv("y\n1\n.5\n5.\n-2E-3\n+3e1\n")));
    }

    @Test
    void messagesQuoteLongCellsShortened() throws Exception {
        String cell = "x".repeat(100_000);
        Path file = csv("y\n1\n" + cell + "\n");
        DataFileException e = assertThrows(DataFileException.class, () -> CsvSeries.column(0).read(file));
        assertTrue(e.getMessage().length() < 200, "a short message");
        assertMentions(e, ":3: column \"y\" (index 0): \"xxxxxxxx", "... (100000 characters)\" is not a number");
    }
}
