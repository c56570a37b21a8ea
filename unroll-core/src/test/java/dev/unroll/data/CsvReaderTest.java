package dev.unroll.data;

import static dev.unroll.data.MessageAssert.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private List<List<String>> records(String content, char separator) throws IOException {
        Path file = Files.writeString(dir.resolve("f.csv"), content);
        List<List<String>> out = new ArrayList<>();
        try (CsvReader csv = CsvReader.open(file, separator)) {
            for (List<String> r = csv.next(); r != null; r = csv.next()) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void quotedFieldsFollowRfc4180() throws IOException {
        assertEquals(List.of(List.of("a,b", "say \"hi\"", "", "x\"y", " kept ")),
                records(" \"a,b\" ,\"say \"\"hi\"\"\",,x\"y,\" kept \"  \n", ','));
        assertEquals(List.of(List.of("1", "two\nlines"), List.of("3", "4")), records("1,\"two\nlines\"\r\n3,4", ','));
    }

    @Test
    void lineNumbersCountBlankLinesAndLinesInsideQuotes() throws IOException {
        Path file = Files.writeString(dir.resolve("f.csv"), "\n\"a\r\nb\"\r\n\r\n  \nc\rd\n");
        try (CsvReader csv = CsvReader.open(file, ',')) {
            assertEquals(List.of("a\r\nb"), csv.next());
            assertEquals(2, csv.line());
            assertEquals(List.of("c"), csv.next());
            assertEquals(6, csv.line());
            assertEquals(List.of("d"), csv.next());
            assertEquals(7, csv.line());
            assertNull(csv.next());
        }
    }

    @Test
    void textAfterAClosingQuoteIsAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("f.csv"), "a,b\n\"1\"2,3\n");
        try (CsvReader csv = CsvReader.open(file, ',')) {
            csv.next();
            assertMentions(assertThrows(DataFileException.class, csv::next), file + ":2: text after the closing quote of field 1");
        }
    }

    @Test
    void manyQuotesTakeLinearTime() throws IOException {
        // 300,000 quotes in one unquoted cell, then a quoted cell of 300,000 escaped quotes.
        String content = "x" + "\"".repeat(300_000) + ",\"" + "\"\"".repeat(300_000) + "\"\n";
        long start = System.nanoTime();
        List<List<String>> r = records(content, ',');
        assertEquals(300_001, r.get(0).get(0).length());
        assertEquals(300_000, r.get(0).get(1).length());
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "linear, not quadratic");
    }

    @Test
    void recordsLongerThanTheLimitAreReportedWithoutReadingThemWhole() throws IOException {
        Path noBreaks = Files.writeString(dir.resolve("long.csv"), "y\n" + "1".repeat(CsvReader.maxRecordChars() + 10));
        try (CsvReader csv = CsvReader.open(noBreaks, ',')) {
            csv.next();
            assertMentions(assertThrows(DataFileException.class, csv::next), noBreaks + ":2: a record longer than 1048576 characters",
                    "unroll.csv.maxRecordChars");
        }
        Path unclosed = Files.writeString(dir.resolve("unclosed.csv"), "y\n\"" + "1\n".repeat(CsvReader.maxRecordChars()));
        try (CsvReader csv = CsvReader.open(unclosed, ',')) {
            csv.next();
            assertMentions(assertThrows(DataFileException.class, csv::next), unclosed + ":2: a quoted field longer than",
                    "is its closing quote missing?");
        }
    }

    @Test
    void theSeparatorIsDetectedFromTheFirstRecords() throws IOException {
        assertEquals(';', CsvReader.detectSeparator(Files.writeString(dir.resolve("a.csv"), "a;b\n1,5;2\n")));
        assertEquals('\t', CsvReader.detectSeparator(Files.writeString(dir.resolve("b.tsv"), "a\tb\n\"x\ty\"\t2\n")));
        assertEquals(',', CsvReader.detectSeparator(Files.writeString(dir.resolve("c.csv"), "a\n1\n")));
        assertEquals(',', CsvReader.detectSeparator(Files.writeString(dir.resolve("d.csv"), "")));
    }

    @Test
    void aByteOrderMarkIsIgnoredAndInvalidUtf8NamesTheLine() throws IOException {
        assertEquals(List.of(List.of("a")), records("\uFEFFa\n", ','));
        Path file = Files.write(dir.resolve("bad.csv"), new byte[] {'a', '\n', 'b', '\n', (byte) 0xC3, '\n'});
        try (CsvReader csv = CsvReader.open(file, ',')) {
            csv.next();
            csv.next();
            assertMentions(assertThrows(DataFileException.class, csv::next), file + ":3: not UTF-8 text");
        }
    }
}
