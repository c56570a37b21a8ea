package dev.unroll.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table of time series read from a CSV file with a header: an optional time column (ISO dates,
 * date-times or numbers, see {@link TimeAxis}; without one, rows are numbered), an optional
 * series-id column for many series in one file (long format), and the numeric columns asked for.
 *
 * <pre>{@code
 * SeriesTable t = SeriesTable.reader().time("date").seriesId("store").columns(List.of("sales", "price"))
 *     .missing(MissingValues.INTERPOLATE).read(Path.of("sales.csv"));
 * for (SeriesTable.Series s : t.series()) { float[] sales = s.column("sales"); ... }
 * }</pre>
 *
 * <p>Every problem is a {@link DataFileException} naming the file and line: a column that is not
 * in the header (listing it), a row of another width, a time that is not of the first row's kind,
 * times out of order or repeated within a series (naming both lines), a cell that is not a decimal
 * number, and — unless a {@link MissingValues} policy says otherwise — a missing value.
 */
public final class SeriesTable {
    /**
     * One series: its id ({@code ""} when the file has no id column), its times, its columns in the
     * order asked for, the file line of each row (for messages), and how many rows are observed: the
     * rows after them (see {@link Reader#futureRows}) hold NaN in the columns still to be known.
     */
    public record Series(String id, TimeAxis time, Map<String, float[]> columns, int[] lines, int observed) {
        /** A series whose rows are all observed. */
        public Series(String id, TimeAxis time, Map<String, float[]> columns, int[] lines) {
            this(id, time, columns, lines, lines.length);
        }

        public float[] column(String name) {
            float[] c = columns.get(name);
            if (c == null) {
                throw new IllegalArgumentException("series '" + id + "' has no column '" + name + "'; it has " + columns.keySet());
            }
            return c;
        }

        public int length() {
            return time.size();
        }

        /** The first {@code n} rows (observed as far as they were). */
        public Series head(int n) {
            Map<String, float[]> cut = new LinkedHashMap<>();
            columns.forEach((k, v) -> cut.put(k, Arrays.copyOf(v, n)));
            return new Series(id, time.head(n), cut, Arrays.copyOf(lines, n), Math.min(observed, n));
        }
    }

    private final Path file;
    private final List<String> columns;
    private final List<Series> series;

    private SeriesTable(Path file, List<String> columns, List<Series> series) {
        this.file = file;
        this.columns = columns;
        this.series = series;
    }

    public static Reader reader() {
        return new Reader();
    }

    public Path file() {
        return file;
    }

    /** The numeric columns read, in the order asked for. */
    public List<String> columns() {
        return columns;
    }

    /** The series in the order their first row appears. */
    public List<Series> series() {
        return series;
    }

    /** What to read from the file; immutable settings, each method returns a copy. */
    public static final class Reader {
        private String time;
        private String seriesId;
        private List<String> columns = List.of();
        private List<String> future = List.of();
        private MissingValues missing = MissingValues.ERROR;

        private Reader() {
        }

        private Reader copy() {
            Reader r = new Reader();
            r.time = time;
            r.seriesId = seriesId;
            r.columns = columns;
            r.future = future;
            r.missing = missing;
            return r;
        }

        /** The time column (default: none, rows are numbered 1, 2, ...). */
        public Reader time(String column) {
            Reader r = copy();
            r.time = column;
            return r;
        }

        /** The series-id column of a file holding many series (default: none, one series). */
        public Reader seriesId(String column) {
            Reader r = copy();
            r.seriesId = column;
            return r;
        }

        /** The numeric columns to read. */
        public Reader columns(List<String> names) {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("a series table needs at least one numeric column");
            }
            if (names.stream().distinct().count() != names.size()) {
                throw new IllegalArgumentException("columns named twice: " + names);
            }
            Reader r = copy();
            r.columns = List.copyOf(names);
            return r;
        }

        /**
         * These columns (targets to forecast) may be empty in the last rows of each series: the rows
         * whose other columns (known covariates) give the horizon of a forecast. They are kept, with
         * NaN in these columns, after the {@link Series#observed} rows; the missing-value policy
         * applies to everything else.
         */
        public Reader futureRows(List<String> columns) {
            Reader r = copy();
            r.future = List.copyOf(columns);
            return r;
        }

        public Reader missing(MissingValues policy) {
            Reader r = copy();
            r.missing = policy;
            return r;
        }

        public SeriesTable read(Path file) throws IOException {
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("say which numeric columns to read (Reader.columns)");
            }
            try (CsvReader csv = CsvReader.open(file)) {
                List<String> header = csv.next();
                if (header == null) {
                    throw new DataFileException(file, "empty file: a header row is needed");
                }
                int headerLine = csv.line();
                int timeAt = time == null ? -1 : indexOf(file, headerLine, header, time, "time");
                int idAt = seriesId == null ? -1 : indexOf(file, headerLine, header, seriesId, "series-id");
                int[] at = new int[columns.size()];
                for (int c = 0; c < at.length; c++) {
                    at[c] = indexOf(file, headerLine, header, columns.get(c), "numeric");
                }
                Map<String, Rows> byId = new LinkedHashMap<>();
                TimeAxis.Kind kind = null;
                int kindLine = 0;
                for (List<String> row = csv.next(); row != null; row = csv.next()) {
                    int line = csv.line();
                    if (row.size() != header.size()) {
                        throw new DataFileException(file, line, "the row has " + row.size() + " field" + (row.size() == 1 ? "" : "s")
                                + ", the header " + header.size() + " (separator " + CsvReader.describe(csv.separator()) + ")");
                    }
                    String id = idAt < 0 ? "" : row.get(idAt);
                    if (idAt >= 0 && id.isEmpty()) {
                        throw new DataFileException(file, line, "empty series id in column \"" + CsvReader.excerpt(seriesId) + "\"");
                    }
                    double t;
                    if (timeAt < 0) {
                        t = Double.NaN;
                    } else {
                        String cell = row.get(timeAt);
                        if (kind == null) {
                            kind = TimeAxis.kindOf(cell);
                            kindLine = line;
                            if (kind == null) {
                                throw new DataFileException(file, line, "time column \"" + CsvReader.excerpt(time) + "\": \""
                                        + CsvReader.excerpt(cell) + "\" is not an ISO date, an ISO date-time or a number");
                            }
                        }
                        t = TimeAxis.parse(kind, cell);
                        if (Double.isNaN(t)) {
                            throw new DataFileException(file, line, "time column \"" + CsvReader.excerpt(time) + "\": \""
                                    + CsvReader.excerpt(cell) + "\" is not " + TimeAxis.describe(kind) + " like line " + kindLine + "'s");
                        }
                    }
                    Rows rows = byId.computeIfAbsent(id, k -> new Rows(columns.size()));
                    float[] values = new float[at.length];
                    for (int c = 0; c < at.length; c++) {
                        String cell = row.get(at[c]);
                        if (MissingValues.isMissing(cell)) {
                            if (missing == MissingValues.ERROR && !future.contains(columns.get(c))) {
                                throw new DataFileException(file, line, "column \"" + CsvReader.excerpt(columns.get(c)) + "\": missing value ("
                                        + (cell.isEmpty() ? "empty cell" : cell) + "); choose a policy: drop, forward-fill or interpolate");
                            }
                            values[c] = Float.NaN;
                        } else {
                            values[c] = Numbers.parseFloat(cell);
                            if (Float.isNaN(values[c])) {
                                throw new DataFileException(file, line, "column \"" + CsvReader.excerpt(columns.get(c)) + "\": \""
                                        + CsvReader.excerpt(cell) + "\" is not a number");
                            }
                        }
                    }
                    rows.add(t, values, line);
                }
                List<Series> out = new ArrayList<>();
                for (Map.Entry<String, Rows> e : byId.entrySet()) {
                    out.add(e.getValue().toSeries(file, e.getKey(), kind, columns, future, missing, idAt >= 0));
                }
                if (out.isEmpty()) {
                    throw new DataFileException(file, "no data rows after the header");
                }
                return new SeriesTable(file, columns, List.copyOf(out));
            }
        }

        private static int indexOf(Path file, int line, List<String> header, String name, String what) throws DataFileException {
            int i = header.indexOf(name);
            if (i < 0) {
                List<String> names = header.stream().map(CsvReader::excerpt).toList();
                throw new DataFileException(file, line, "no " + what + " column named \"" + CsvReader.excerpt(name) + "\"; the header has "
                        + header.size() + ": " + String.join(", ", names));
            }
            if (header.lastIndexOf(name) != i) {
                throw new DataFileException(file, line, "the header names column \"" + CsvReader.excerpt(name) + "\" twice");
            }
            return i;
        }
    }

    /** The rows of one series as they are read. */
    private static final class Rows {
        private final int width;
        private double[] times = new double[256];
        private float[][] values;
        private int[] lines = new int[256];
        private int n;

        Rows(int width) {
            this.width = width;
            this.values = new float[width][256];
        }

        void add(double t, float[] row, int line) {
            if (n == times.length) {
                times = Arrays.copyOf(times, 2 * n);
                lines = Arrays.copyOf(lines, 2 * n);
                for (int c = 0; c < width; c++) {
                    values[c] = Arrays.copyOf(values[c], 2 * n);
                }
            }
            times[n] = t;
            lines[n] = line;
            for (int c = 0; c < width; c++) {
                values[c][n] = row[c];
            }
            n++;
        }

        Series toSeries(Path file, String id, TimeAxis.Kind kind, List<String> names, List<String> future, MissingValues missing,
                        boolean named) throws DataFileException {
            String which = named ? " (series '" + CsvReader.excerpt(id) + "')" : "";
            for (int i = 1; kind != null && i < n; i++) {
                if (times[i] == times[i - 1]) {
                    throw new DataFileException(file, lines[i], "repeats the time of line " + lines[i - 1] + which);
                }
                if (times[i] < times[i - 1]) {
                    throw new DataFileException(file, lines[i], "its time comes before line " + lines[i - 1] + "'s" + which
                            + "; times must increase (sort the file by time)");
                }
            }
            int observed = observedRows(names, future);
            List<Integer> keep = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                boolean complete = true;
                for (int c = 0; c < width; c++) {
                    complete &= !Float.isNaN(values[c][i]) || i >= observed && future.contains(names.get(c));
                }
                if (complete || missing != MissingValues.DROP) {
                    keep.add(i);
                } else if (i < observed) {
                    observed--;
                }
            }
            if (keep.isEmpty()) {
                throw new DataFileException(file, lines[0], "every row" + which + " has a missing value; nothing is left to read");
            }
            Map<String, float[]> columns = new LinkedHashMap<>();
            for (int c = 0; c < width; c++) {
                boolean pending = future.contains(names.get(c));
                float[] v = new float[keep.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = values[c][keep.get(i)];
                }
                if (missing == MissingValues.ERROR) {
                    requireComplete(file, v, keep, names.get(c), pending ? observed : v.length, which);
                } else {
                    fill(file, v, keep, names.get(c), missing, which, pending ? observed : v.length);
                }
                columns.put(names.get(c), v);
            }
            int[] keptLines = keep.stream().mapToInt(i -> lines[i]).toArray();
            double[] keptTimes = keep.stream().mapToDouble(i -> times[i]).toArray();
            TimeAxis axis = kind == null ? TimeAxis.index(keep.size()) : TimeAxis.of(kind, keptTimes);
            return new Series(id, axis, columns, keptLines, observed);
        }

        /** Rows before the trailing ones where every future column is empty (all rows when there are none). */
        private int observedRows(List<String> names, List<String> future) {
            int observed = n;
            while (!future.isEmpty() && observed > 0) {
                boolean allEmpty = true;
                for (int c = 0; c < width; c++) {
                    allEmpty &= !future.contains(names.get(c)) || Float.isNaN(values[c][observed - 1]);
                }
                if (!allEmpty) {
                    break;
                }
                observed--;
            }
            return observed;
        }

        private void requireComplete(Path file, float[] v, List<Integer> rows, String column, int upTo, String which)
                throws DataFileException {
            for (int i = 0; i < upTo; i++) {
                if (Float.isNaN(v[i])) {
                    throw new DataFileException(file, lines[rows.get(i)], "column \"" + CsvReader.excerpt(column) + "\": missing value"
                            + which + "; choose a policy: drop, forward-fill or interpolate");
                }
            }
        }

        private void fill(Path file, float[] v, List<Integer> rows, String column, MissingValues missing, String which, int upTo)
                throws DataFileException {
            for (int i = 0; i < upTo; i++) {
                if (!Float.isNaN(v[i])) {
                    continue;
                }
                int before = i - 1;
                if (before < 0) {
                    throw new DataFileException(file, lines[rows.get(i)], "column \"" + CsvReader.excerpt(column) + "\": missing value"
                            + which + " with no value before it to " + (missing == MissingValues.FORWARD_FILL ? "carry forward" : "interpolate from"));
                }
                if (missing == MissingValues.FORWARD_FILL) {
                    v[i] = v[before];
                    continue;
                }
                int after = i + 1;
                while (after < upTo && Float.isNaN(v[after])) {
                    after++;
                }
                if (after == upTo) {
                    throw new DataFileException(file, lines[rows.get(i)], "column \"" + CsvReader.excerpt(column) + "\": missing value"
                            + which + " with no value after it to interpolate to");
                }
                for (int k = i; k < after; k++) {
                    v[k] = v[before] + (v[after] - v[before]) * (k - before) / (after - before);
                }
                i = after;
            }
        }
    }
}
