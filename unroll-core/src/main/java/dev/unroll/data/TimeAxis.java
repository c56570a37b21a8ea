package dev.unroll.data;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The times of one series, strictly increasing: ISO dates ({@code 2024-01-31}), ISO date-times
 * ({@code 2024-01-31T13:30[:00[.000]]}, a space instead of the {@code T}, an optional {@code Z} or
 * offset, converted to UTC; without one the time is read as UTC), or plain decimal numbers (an
 * index, a fractional year). All times of a column are of one kind.
 *
 * <p>The {@link #step() step} between observations is inferred: a fixed number of seconds (the most
 * common difference), or — for dates on the same day of the month — a number of months (monthly,
 * quarterly, yearly data, whose steps vary in days). It gives the times after the end, where a
 * forecast lands.
 */
public final class TimeAxis {
    /** What the times are. */
    public enum Kind {
        /** Calendar dates, no time of day. */
        DATE,
        /** Dates with a time of day. */
        DATE_TIME,
        /** Plain numbers. */
        NUMBER
    }

    /** How far one observation is from the next: {@code seconds}, {@code months} or a number. */
    public record Step(long seconds, int months, double number) {
        /**
         * How many steps {@code value} lies after {@code anchor} (negative before it), rounded:
         * months between them over the step's months, else the difference over the step.
         */
        public long between(double anchor, double value) {
            if (months > 0) {
                LocalDateTime a = LocalDateTime.ofEpochSecond((long) anchor, 0, ZoneOffset.UTC);
                LocalDateTime b = LocalDateTime.ofEpochSecond((long) value, 0, ZoneOffset.UTC);
                long m = (b.getYear() - a.getYear()) * 12L + b.getMonthValue() - a.getMonthValue();
                return Math.round((double) m / months);
            }
            return Math.round((value - anchor) / (seconds > 0 ? seconds : number));
        }

        /** {@code {"seconds": s}}, {@code {"months": m}} or {@code {"number": x}}. */
        public java.util.Map<String, Object> config() {
            return months > 0 ? java.util.Map.of("months", months) : seconds > 0 ? java.util.Map.of("seconds", seconds)
                    : java.util.Map.of("number", number);
        }

        /** The step of a {@link #config()}. */
        public static Step fromConfig(java.util.Map<String, Object> c) {
            if (c.size() != 1 || !(c.values().iterator().next() instanceof Number n) || !(n.doubleValue() > 0)
                    || !Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException("time step: expected one of {\"seconds\": s}, {\"months\": m}, {\"number\": x}"
                        + " with a positive value, got " + c);
            }
            String unit = c.keySet().iterator().next();
            return switch (unit) {
                case "months" -> new Step(0, (int) Math.min(n.longValue(), 1200), 0);
                case "seconds" -> new Step(n.longValue(), 0, 0);
                case "number" -> new Step(0, 0, n.doubleValue());
                default -> throw new IllegalArgumentException("time step: unknown unit '" + unit + "'; expected seconds, months or number");
            };
        }

        @Override
        public String toString() {
            if (months > 0) {
                return months == 1 ? "monthly" : months == 3 ? "quarterly" : months == 12 ? "yearly" : months + " months";
            }
            if (seconds > 0) {
                return seconds % 86_400 == 0 ? seconds / 86_400 + " day(s)" : seconds % 3600 == 0 ? seconds / 3600 + " hour(s)"
                        : seconds % 60 == 0 ? seconds / 60 + " minute(s)" : seconds + " second(s)";
            }
            return "every " + number;
        }
    }

    private static final DateTimeFormatter DATE_TIME_OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private final Kind kind;
    /** Epoch seconds (UTC) of dates and date-times; the numbers themselves otherwise. */
    private final double[] values;
    private final Step step;

    private TimeAxis(Kind kind, double[] values) {
        this.kind = kind;
        this.values = values;
        this.step = inferStep();
    }

    /** Row numbers 1, 2, ..., n: the time of a table without a time column. */
    public static TimeAxis index(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1;
        }
        return new TimeAxis(Kind.NUMBER, v);
    }

    /** Times of one kind (epoch seconds for dates and date-times), which must strictly increase. */
    public static TimeAxis of(Kind kind, double[] values) {
        for (int i = 1; i < values.length; i++) {
            if (!(values[i] > values[i - 1])) {
                throw new IllegalArgumentException("times must strictly increase: time " + i + " (" + values[i] + ") follows " + values[i - 1]);
            }
        }
        return new TimeAxis(kind, values.clone());
    }

    /**
     * Times written as text, as a table's time column holds them: ISO dates, ISO date-times or
     * numbers, all of the first one's kind, strictly increasing. Errors name the time by
     * {@code where} and its index ({@code time[3]}).
     */
    public static TimeAxis parse(List<String> cells, String where) {
        if (cells.isEmpty()) {
            throw new IllegalArgumentException(where + ": no times");
        }
        Kind kind = kindOf(cells.get(0));
        if (kind == null) {
            throw new IllegalArgumentException(where + "[0]: \"" + cells.get(0) + "\" is not an ISO date, an ISO date-time or a number");
        }
        double[] values = new double[cells.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = parse(kind, cells.get(i));
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException(where + "[" + i + "]: \"" + cells.get(i) + "\" is not " + describe(kind) + " like "
                        + where + "[0]");
            }
            if (i > 0 && !(values[i] > values[i - 1])) {
                throw new IllegalArgumentException(where + "[" + i + "]: \"" + cells.get(i) + "\" does not come after " + where + "[" + (i - 1)
                        + "] (\"" + cells.get(i - 1) + "\"); times must strictly increase");
            }
        }
        return new TimeAxis(kind, values);
    }

    /** The kind of a time cell, or null when it is none of them. */
    static Kind kindOf(String cell) {
        if (parseDate(cell) != null) {
            return Kind.DATE;
        }
        if (parseDateTime(cell) != null) {
            return Kind.DATE_TIME;
        }
        return Numbers.isDecimal(cell) && Double.isFinite(Numbers.parseDouble(cell)) ? Kind.NUMBER : null;
    }

    /** The cell as a value of the given kind (epoch seconds for dates), or NaN when it is not one. */
    static double parse(Kind kind, String cell) {
        return switch (kind) {
            case DATE -> {
                LocalDate d = parseDate(cell);
                yield d == null ? Double.NaN : d.toEpochDay() * 86_400.0;
            }
            case DATE_TIME -> {
                Long s = parseDateTime(cell);
                yield s == null ? Double.NaN : s;
            }
            case NUMBER -> Numbers.parseDouble(cell);
        };
    }

    private static LocalDate parseDate(String cell) {
        if (cell.length() != 10) {
            return null;
        }
        try {
            return LocalDate.parse(cell);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Epoch seconds of an ISO date-time, or null. */
    private static Long parseDateTime(String cell) {
        if (cell.length() < 16 || cell.length() > 35) {
            return null;
        }
        String iso = cell.charAt(10) == ' ' ? cell.substring(0, 10) + "T" + cell.substring(11) : cell;
        try {
            return OffsetDateTime.parse(iso).toEpochSecond();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(iso).toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /** What a time of this kind looks like, for messages. */
    static String describe(Kind kind) {
        return switch (kind) {
            case DATE -> "an ISO date (yyyy-MM-dd)";
            case DATE_TIME -> "an ISO date-time (yyyy-MM-ddTHH:mm[:ss])";
            case NUMBER -> "a number";
        };
    }

    public Kind kind() {
        return kind;
    }

    public int size() {
        return values.length;
    }

    /** Epoch seconds (dates, date-times) or the number of time {@code i}. */
    public double value(int i) {
        return values[i];
    }

    /** True for dates and date-times, which have a calendar (hours, weekdays, months). */
    public boolean isCalendar() {
        return kind != Kind.NUMBER;
    }

    /** Time {@code i} as a UTC date-time (dates at midnight). */
    public LocalDateTime dateTime(int i) {
        requireCalendar();
        return LocalDateTime.ofEpochSecond((long) values[i], 0, ZoneOffset.UTC);
    }

    private void requireCalendar() {
        if (!isCalendar()) {
            throw new IllegalStateException("times are plain numbers, not dates");
        }
    }

    public Step step() {
        return step;
    }

    /** The time {@code k} steps after the last one (k ≥ 1), as a value like {@link #value}. */
    public double after(int k) {
        double last = values.length == 0 ? 0 : values[values.length - 1];
        if (step.months() > 0) {
            return dateTime(values.length - 1).plusMonths((long) step.months() * k).toEpochSecond(ZoneOffset.UTC);
        }
        return step.seconds() > 0 ? last + (double) step.seconds() * k : last + step.number() * k;
    }

    /** A value (as {@link #value}) as a UTC date-time. */
    public LocalDateTime dateTimeOf(double value) {
        requireCalendar();
        return LocalDateTime.ofEpochSecond((long) value, 0, ZoneOffset.UTC);
    }

    /** A value of this axis written as the input wrote it. */
    public String format(double value) {
        return switch (kind) {
            case DATE -> LocalDate.ofEpochDay((long) Math.floor(value / 86_400)).toString();
            case DATE_TIME -> LocalDateTime.ofEpochSecond((long) value, 0, ZoneOffset.UTC).format(DATE_TIME_OUT);
            case NUMBER -> value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
        };
    }

    /** The first {@code n} times. */
    public TimeAxis head(int n) {
        return new TimeAxis(kind, Arrays.copyOf(values, n));
    }

    /** The times at the given rows, in that order (still increasing). */
    TimeAxis rows(List<Integer> rows) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[rows.get(i)];
        }
        return new TimeAxis(kind, v);
    }

    private Step inferStep() {
        if (values.length < 2) {
            return kind == Kind.NUMBER ? new Step(0, 0, 1) : new Step(86_400, 0, 0);
        }
        if (kind != Kind.NUMBER) {
            int months = monthStep();
            if (months > 0) {
                return new Step(0, months, 0);
            }
            return new Step((long) mostCommonDifference(), 0, 0);
        }
        return new Step(0, 0, mostCommonDifference());
    }

    /** The most common month difference when every time is on the same day of the month and time of day; else 0. */
    private int monthStep() {
        LocalDateTime first = dateTime(0);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 1; i < values.length; i++) {
            LocalDateTime a = dateTime(i - 1);
            LocalDateTime b = dateTime(i);
            if (b.getDayOfMonth() != first.getDayOfMonth() || !b.toLocalTime().equals(first.toLocalTime())) {
                return 0;
            }
            int months = (b.getYear() - a.getYear()) * 12 + b.getMonthValue() - a.getMonthValue();
            counts.merge(months, 1, Integer::sum);
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
    }

    private double mostCommonDifference() {
        Map<Double, Integer> counts = new HashMap<>();
        for (int i = 1; i < values.length; i++) {
            counts.merge(values[i] - values[i - 1], 1, Integer::sum);
        }
        return counts.entrySet().stream().max(Map.Entry.<Double, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(1.0);
    }
}
