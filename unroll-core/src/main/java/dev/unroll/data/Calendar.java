package dev.unroll.data;

import java.time.LocalDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * Calendar covariates derived from a time: where in the day, the week and the year it falls, each as
 * a sine/cosine pair (so 23:30 is next to 00:30, December to January). They are known for any
 * future time, which makes them inputs a forecaster can be given for its horizon.
 */
public enum Calendar {
    /** Position in the day, hours and minutes. */
    HOUR_OF_DAY,
    /** Position in the week, Monday 00:00 = 0. */
    DAY_OF_WEEK,
    /** Position in the year, by month and day. */
    MONTH_OF_YEAR;

    /** {@code hour}, {@code weekday}, {@code month}. */
    public String id() {
        return switch (this) {
            case HOUR_OF_DAY -> "hour";
            case DAY_OF_WEEK -> "weekday";
            case MONTH_OF_YEAR -> "month";
        };
    }

    public static Calendar parse(String id) {
        for (Calendar c : values()) {
            if (c.id().equalsIgnoreCase(id.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown calendar covariate '" + id + "'; expected hour, weekday or month");
    }

    /** The fraction of the cycle at {@code t}, in [0, 1). */
    public double phase(LocalDateTime t) {
        double dayFraction = (t.getHour() + t.getMinute() / 60.0 + t.getSecond() / 3600.0) / 24;
        return switch (this) {
            case HOUR_OF_DAY -> dayFraction;
            case DAY_OF_WEEK -> (t.getDayOfWeek().getValue() - 1 + dayFraction) / 7;
            case MONTH_OF_YEAR -> (t.getMonthValue() - 1 + (t.getDayOfMonth() - 1 + dayFraction) / t.toLocalDate().lengthOfMonth()) / 12;
        };
    }

    /** Writes sin and cos of each cycle's phase at {@code t} into {@code out} from {@code at}. */
    public static void encode(Set<Calendar> cycles, LocalDateTime t, float[] out, int at) {
        int i = at;
        for (Calendar c : values()) {
            if (cycles.contains(c)) {
                double angle = 2 * Math.PI * c.phase(t);
                out[i++] = (float) Math.sin(angle);
                out[i++] = (float) Math.cos(angle);
            }
        }
    }

    /**
     * The cycles shorter data cannot show and longer data does not need: within the day and week
     * for sub-daily steps, the week and year for daily ones, the year for weekly to quarterly ones,
     * none for yearly data or plain numbers.
     */
    public static Set<Calendar> suitedTo(TimeAxis time) {
        if (!time.isCalendar()) {
            return EnumSet.noneOf(Calendar.class);
        }
        TimeAxis.Step step = time.step();
        if (step.months() > 0) {
            return step.months() < 12 ? EnumSet.of(MONTH_OF_YEAR) : EnumSet.noneOf(Calendar.class);
        }
        if (step.seconds() < 86_400) {
            return EnumSet.of(HOUR_OF_DAY, DAY_OF_WEEK);
        }
        return step.seconds() < 7 * 86_400 ? EnumSet.of(DAY_OF_WEEK, MONTH_OF_YEAR) : EnumSet.of(MONTH_OF_YEAR);
    }
}
