package dev.unroll.cli;

import dev.unroll.data.CsvSeries;
import dev.unroll.data.DataFileException;
import java.io.IOException;
import java.nio.file.Path;

/** Reads the {@code --column} of a CSV file, a header name or a 0-based index (default 0). */
final class CsvInput {
    private CsvInput() {
    }

    static float[] read(Path file, String column) throws IOException {
        CsvSeries reader = column == null ? CsvSeries.column(0)
                : column.trim().matches("\\d+") ? CsvSeries.column(index(column.trim()))
                : CsvSeries.column(column);
        Inputs.file(file);
        try {
            return reader.read(file);
        } catch (DataFileException e) {
            if (column == null) {
                throw new IOException(e.getMessage() + " (this is the first column; choose another with --column NAME|INDEX)", e);
            }
            throw e;
        }
    }

    /** A 0-based column index; one beyond any file's width is reported as such, not as a parse failure. */
    private static int index(String digits) {
        if (digits.length() > 7) {
            throw new IllegalArgumentException("--column " + dev.unroll.data.CsvReader.excerpt(digits)
                    + ": a column index must be below 10000000");
        }
        return Integer.parseInt(digits);
    }

    /** How the column is named in messages and plots. */
    static String describe(Path file, String column) {
        return file.getFileName() + (column == null ? "" : " [" + column + "]");
    }
}
