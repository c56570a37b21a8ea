package dev.unroll.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one numeric column of a CSV file as a series of floats (seed §11: "any CSV series"), to be cut
 * into windows by {@link Windows}.
 * <pre>
 *   float[] close = CsvSeries.column("close").read(path);
 *   float[] third = CsvSeries.column(2).header(CsvSeries.Header.ABSENT).separator(';').read(path);
 * </pre>
 *
 * <ul>
 *   <li><b>Column</b>: by header name (then the file must have a header row) or by 0-based index.</li>
 *   <li><b>Header</b>: {@link Header#AUTO} (the default for an index) takes the first row as a header
 *       when its cell in the chosen column is not a number; {@link Header#PRESENT} and
 *       {@link Header#ABSENT} force it.</li>
 *   <li><b>Separator</b>: comma, semicolon or tab, detected from the first lines (as
 *       {@link CsvReader#detectSeparator} says), or forced with {@link #separator}.</li>
 *   <li>The file is read by {@link CsvReader}: blank lines skipped, fields trimmed, quotes as
 *       RFC 4180, UTF-8, records of bounded length. Cells are decimal numbers ({@link Numbers}).</li>
 * </ul>
 *
 * <p>Every problem is a {@link DataFileException} naming the file and, where it applies, the 1-based
 * line and the column: a cell that is not a finite number, a missing column name (listing the header's
 * names), a row too short for the column (giving its field count). An empty result is not an error
 * here; {@link Windows} says how many values a window needs.
 *
 * <p>Instances are immutable: {@link #header} and {@link #separator} return modified copies.
 */
public final class CsvSeries {

    /** Whether the first non-blank row is a header. */
    public enum Header {
        /** A header when its cell in the chosen column is not a number. */
        AUTO,
        /** The first non-blank row is a header. */
        PRESENT,
        /** Every row is data. */
        ABSENT
    }

    /** Marks "detect the separator". */
    private static final char DETECT = 0;

    /** The column's header name, or null when it is chosen by index. */
    private final String name;
    private final int index;
    private final Header header;
    private final char separator;

    private CsvSeries(String name, int index, Header header, char separator) {
        this.name = name;
        this.index = index;
        this.header = header;
        this.separator = separator;
    }

    /** The column with this header name (the file must have a header row). */
    public static CsvSeries column(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("CSV column name must not be blank");
        }
        return new CsvSeries(name.trim(), -1, Header.PRESENT, DETECT);
    }

    /** The column at this 0-based index; a header row is detected ({@link Header#AUTO}). */
    public static CsvSeries column(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("CSV column index must not be negative, got " + index);
        }
        return new CsvSeries(null, index, Header.AUTO, DETECT);
    }

    /** A copy that treats the first row as {@code header} says; a column chosen by name needs a header. */
    public CsvSeries header(Header header) {
        if (name != null && header != Header.PRESENT) {
            throw new IllegalArgumentException("CSV column \"" + name + "\" is chosen by name, so the file needs a"
                    + " header row; header(" + header + ") contradicts that");
        }
        return new CsvSeries(name, index, header, separator);
    }

    /** A copy that splits fields on {@code separator} instead of detecting it. */
    public CsvSeries separator(char separator) {
        return new CsvSeries(name, index, header, CsvReader.checkSeparator(separator));
    }

    /** Reads the column's values, in file order. */
    public float[] read(Path file) throws IOException {
        try (CsvReader csv = separator != DETECT ? CsvReader.open(file, separator) : CsvReader.open(file)) {
            List<String> firstRow = csv.next();
            if (firstRow == null) {
                if (header == Header.PRESENT) {
                    throw new DataFileException(file, "no header row: the file has no data at all");
                }
                return new float[0];
            }
            int first = csv.line();
            int column = name != null ? columnOf(file, first, firstRow) : index;
            if (column >= firstRow.size()) {
                throw new DataFileException(file, first, "column index " + column + " is out of range: the row has "
                        + firstRow.size() + " field" + (firstRow.size() == 1 ? "" : "s") + " (separator "
                        + CsvReader.describe(csv.separator()) + ")");
            }
            boolean hasHeader = header == Header.PRESENT
                    || header == Header.AUTO && Float.isNaN(Numbers.parseFloat(firstRow.get(column)));
            String what = hasHeader ? "column \"" + CsvReader.excerpt(firstRow.get(column)) + "\" (index " + column + ")"
                    : "column index " + column;
            float[] values = new float[1024];
            int count = 0;
            for (List<String> row = hasHeader ? csv.next() : firstRow; row != null; row = csv.next()) {
                if (column >= row.size()) {
                    throw new DataFileException(file, csv.line(), what + " is missing: the row has " + row.size() + " field"
                            + (row.size() == 1 ? "" : "s"));
                }
                String cell = row.get(column);
                float value = Numbers.parseFloat(cell);
                if (Float.isNaN(value)) {
                    throw new DataFileException(file, csv.line(), what + ": " + (cell.isEmpty() ? "empty cell"
                            : "\"" + CsvReader.excerpt(cell) + "\"") + " is not a number");
                }
                if (count == values.length) {
                    values = Arrays.copyOf(values, 2 * count);
                }
                values[count++] = value;
            }
            return Arrays.copyOf(values, count);
        }
    }

    private int columnOf(Path file, int line, List<String> headerRow) throws DataFileException {
        int column = headerRow.indexOf(name);
        if (column < 0) {
            List<String> names = new java.util.ArrayList<>();
            for (String n : headerRow) {
                names.add(CsvReader.excerpt(n));
            }
            throw new DataFileException(file, line, "no column named \"" + CsvReader.excerpt(name) + "\"; the header has "
                    + headerRow.size() + ": " + String.join(", ", names));
        }
        return column;
    }
}
