package dev.unroll.data;

/**
 * What a table reader does with a missing value (an empty cell, {@code NA}, {@code NaN},
 * {@code null}): by default it is an error naming the line, since a series with holes quietly
 * filled is a different series; the other policies are explicit choices.
 */
public enum MissingValues {
    /** A missing value is an error naming the line and column. */
    ERROR,
    /** Rows with a missing value in any column read are left out. */
    DROP,
    /** A missing value takes the last value before it in its series (none before it is an error). */
    FORWARD_FILL,
    /** A missing value is interpolated linearly between its neighbours in its series (none on one side is an error). */
    INTERPOLATE;

    /** {@code error}, {@code drop}, {@code forward-fill}, {@code interpolate}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The policy of an id. */
    public static MissingValues parse(String id) {
        for (MissingValues m : values()) {
            if (m.id().equalsIgnoreCase(id.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown missing-value policy '" + id + "'; expected error, drop, forward-fill or interpolate");
    }

    /** True for the cells that mean "no value". */
    static boolean isMissing(String cell) {
        return cell.isEmpty() || cell.equalsIgnoreCase("NA") || cell.equalsIgnoreCase("NaN") || cell.equalsIgnoreCase("null")
                || cell.equalsIgnoreCase("N/A");
    }
}
