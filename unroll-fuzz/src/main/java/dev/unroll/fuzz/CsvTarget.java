package dev.unroll.fuzz;

import dev.unroll.data.CsvReader;
import dev.unroll.data.CsvSeries;
import dev.unroll.data.DataFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link CsvReader} and {@link CsvSeries}: records and columns of any text, the only failure a
 * {@link DataFileException}, whose message stays short however long the line; every value read is
 * finite.
 */
final class CsvTarget implements FuzzTarget {
    private static final List<String> TEXTS = List.of(
            "date,open,close\n2024-01-01,1.5,2\n2024-01-02,2.5,-3e-1\n",
            "t;y\n0;1,5\n1;2,5\n",
            "a\tb\n1\t2\n3\t4\n",
            "\"temperature, °C\",\"station \"\"north\"\"\"\n-1.5,3\n\"0.25\",4\n",
            "y\n1\n\n2\r\n3\r4\n",
            "\uFEFFvalue\n10\n20\n");
    private final Path file;
    private final List<byte[]> seeds;

    CsvTarget(Path scratch) {
        this.file = scratch.resolve("series.csv");
        this.seeds = TEXTS.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    @Override
    public void run(byte[] input) throws IOException {
        Files.write(file, input);
        try (CsvReader csv = CsvReader.open(file)) {
            for (List<String> r = csv.next(); r != null; r = csv.next()) {
                if (r.isEmpty()) {
                    throw new AssertionError("an empty record at line " + csv.line());
                }
            }
        }
        try {
            for (float v : CsvSeries.column(1).read(file)) {
                if (!Float.isFinite(v)) {
                    throw new AssertionError("a value " + v + " read as a number");
                }
            }
        } catch (DataFileException e) {
            if (e.getMessage().length() > 1000) {
                throw new AssertionError("a message of " + e.getMessage().length() + " characters");
            }
            throw e;
        }
    }

    @Override
    public boolean documented(Throwable t) {
        return t instanceof DataFileException && t.getMessage().length() <= 1000;
    }
}
