package dev.unroll.forecast;

import dev.unroll.data.MissingValues;
import dev.unroll.io.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a forecaster's table was laid out when it trained: the name of its time column and of its
 * series-id column (null when the table had none) and what was done with missing values. Saved
 * with the forecaster so that whatever reads new data for it — {@code unroll predict --csv}, the
 * model server — reads it the same way.
 *
 * @param time     the time column, or null: rows are then numbered 1, 2, ...
 * @param seriesId the series-id column, or null: the table is one series
 * @param missing  the missing-value policy the table was read with
 */
public record TableLayout(String time, String seriesId, MissingValues missing) {
    /** Metadata key of the saved layout (named when only the command line wrote it; kept so saved models still load). */
    public static final String METADATA_KEY = "unroll.cli.table";

    /** The layout of a forecaster saved without one: a single series, numbered rows, no missing values. */
    public static final TableLayout PLAIN = new TableLayout(null, null, MissingValues.ERROR);

    public TableLayout {
        if (missing == null) {
            throw new IllegalArgumentException("a table layout needs a missing-value policy");
        }
    }

    /** The metadata entry that saves this layout. */
    public Map<String, String> toMetadata() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("time", time);
        c.put("series_id", seriesId);
        c.put("missing", missing.id());
        return Map.of(METADATA_KEY, Json.write(c));
    }

    /** The layout a checkpoint's metadata records, {@link #PLAIN} when it records none; an invalid one is an error naming the key. */
    public static TableLayout fromMetadata(Map<String, String> metadata) {
        String json = metadata.get(METADATA_KEY);
        if (json == null) {
            return PLAIN;
        }
        try {
            Map<String, Object> c = Json.parseObject(json);
            for (String key : c.keySet()) {
                if (!List.of("time", "series_id", "missing").contains(key)) {
                    throw new IllegalArgumentException("unknown key '" + key + "'");
                }
            }
            if (!(c.get("missing") instanceof String missing)) {
                throw new IllegalArgumentException("'missing' should be a policy, got " + c.get("missing"));
            }
            return new TableLayout(column(c, "time"), column(c, "series_id"), MissingValues.parse(missing));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + METADATA_KEY + " in the metadata: " + e.getMessage(), e);
        }
    }

    private static String column(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException("'" + key + "' should be a column name, got " + v);
        }
        return (String) v;
    }
}
