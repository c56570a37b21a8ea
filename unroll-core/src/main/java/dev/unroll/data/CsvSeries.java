package dev.unroll.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 *   <li><b>Separator</b>: comma, semicolon or tab, detected from the first lines (the first of the three
 *       that splits every one of them into the same number, above one, of fields; comma when none
 *       does), or forced with {@link #separator}.</li>
 *   <li>Blank lines are skipped; fields are trimmed; quoted fields are handled as {@link CsvFields}
 *       says. The file is read as UTF-8 (a byte-order mark is ignored).</li>
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

    private static final char[] SEPARATORS = {',', ';', '\t'};
    /** Separator detection looks at this many non-blank lines at most. */
    private static final int SAMPLE_LINES = 20;
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
        if (separator == '"' || separator == '\n' || separator == '\r' || separator == DETECT) {
            throw new IllegalArgumentException("CSV separator cannot be " + describe(separator));
        }
        return new CsvSeries(name, index, header, separator);
    }

    /** Reads the column's values, in file order. */
    public float[] read(Path file) throws IOException {
        List<String> lines = readLines(file);
        int first = nextNonBlank(lines, 0);
        if (first == lines.size()) {
            if (header == Header.PRESENT) {
                throw new DataFileException(file, "no header row: the file has no data at all");
            }
            return new float[0];
        }
        char sep = separator != DETECT ? separator : detectSeparator(lines, first);
        List<String> firstRow = fields(file, lines, first, sep);
        int column = name != null ? columnOf(file, first, firstRow) : index;
        if (column >= firstRow.size()) {
            throw new DataFileException(file, first + 1, "column index " + column + " is out of range: the row has "
                    + firstRow.size() + " field" + (firstRow.size() == 1 ? "" : "s") + " (separator "
                    + describe(sep) + ")");
        }
        boolean hasHeader = header == Header.PRESENT
                || header == Header.AUTO && Float.isNaN(parseOrNaN(firstRow.get(column)));
        String what = hasHeader ? "column \"" + firstRow.get(column) + "\" (index " + column + ")"
                : "column index " + column;

        float[] values = new float[lines.size()];
        int count = 0;
        for (int i = hasHeader ? nextNonBlank(lines, first + 1) : first; i < lines.size();
                i = nextNonBlank(lines, i + 1)) {
            List<String> row = fields(file, lines, i, sep);
            if (column >= row.size()) {
                throw new DataFileException(file, i + 1, what + " is missing: the row has " + row.size() + " field"
                        + (row.size() == 1 ? "" : "s"));
            }
            String cell = row.get(column);
            float value = parseOrNaN(cell);
            if (Float.isNaN(value)) {
                throw new DataFileException(file, i + 1, what + ": " + (cell.isEmpty() ? "empty cell"
                        : "\"" + cell + "\"") + " is not a number");
            }
            values[count++] = value;
        }
        return Arrays.copyOf(values, count);
    }

    private int columnOf(Path file, int line, List<String> headerRow) throws DataFileException {
        int column = headerRow.indexOf(name);
        if (column < 0) {
            throw new DataFileException(file, line + 1, "no column named \"" + name + "\"; the header has "
                    + headerRow.size() + ": " + String.join(", ", headerRow));
        }
        return column;
    }

    private static List<String> readLines(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new DataFileException(file, "not UTF-8 text (" + e + ")", e);
        }
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1));
        }
        return lines;
    }

    private static int nextNonBlank(List<String> lines, int from) {
        int i = from;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        return i;
    }

    private static List<String> fields(Path file, List<String> lines, int i, char sep) throws DataFileException {
        try {
            return CsvFields.split(lines.get(i), sep);
        } catch (IllegalArgumentException e) {
            throw new DataFileException(file, i + 1, e.getMessage());
        }
    }

    /**
     * The first separator that cuts each of the first non-blank lines into the same number (above one) of
     * fields; comma when none does (a single-column file, or a ragged one the reader will report).
     */
    private static char detectSeparator(List<String> lines, int first) {
        for (char candidate : SEPARATORS) {
            int expected = -1;
            boolean consistent = true;
            int sampled = 0;
            for (int i = first; consistent && i < lines.size() && sampled < SAMPLE_LINES; i = nextNonBlank(lines, i + 1)) {
                int fieldCount = fieldCountOrMinusOne(lines.get(i), candidate);
                consistent = fieldCount > 1 && (expected < 0 || fieldCount == expected);
                expected = fieldCount;
                sampled++;
            }
            if (consistent) {
                return candidate;
            }
        }
        return ',';
    }

    private static int fieldCountOrMinusOne(String line, char separator) {
        try {
            return CsvFields.split(line, separator).size();
        } catch (IllegalArgumentException unclosedQuote) {
            return -1;
        }
    }

    /**
     * The cell as a finite float, or NaN when it is not a plain number: empty, text, NaN, infinite or
     * beyond float range, or carrying Java's {@code f}/{@code d} type suffix, which
     * {@link Float#parseFloat} would otherwise accept.
     */
    private static float parseOrNaN(String cell) {
        if (cell.isEmpty() || "fFdD".indexOf(cell.charAt(cell.length() - 1)) >= 0) {
            return Float.NaN;
        }
        try {
            float value = Float.parseFloat(cell);
            return Float.isInfinite(value) ? Float.NaN : value;
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    private static String describe(char separator) {
        return switch (separator) {
            case '\t' -> "tab";
            case '\n' -> "newline";
            case '\r' -> "carriage return";
            case DETECT -> "NUL";
            default -> "'" + separator + "'";
        };
    }
}
