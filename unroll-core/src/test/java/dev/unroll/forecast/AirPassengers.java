package dev.unroll.forecast;

import dev.unroll.data.SeriesTable;
import dev.unroll.data.TimeAxis;
import java.util.LinkedHashMap;
import java.util.Map;

/** R's {@code AirPassengers} (monthly totals, thousands, 1949–1960): a seasonal series with a trend, for tests. */
public final class AirPassengers {
    public static final double[] VALUES = {112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170,
        170, 158, 133, 114, 140, 145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166, 171, 180, 193, 181, 183, 218, 230, 242, 209,
        191, 172, 194, 196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201, 204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203,
        229, 242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278, 284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306, 315,
        301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336, 340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337, 360, 342, 406,
        396, 420, 472, 548, 559, 463, 407, 362, 405, 417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432};

    private AirPassengers() {
    }

    /** The series as a table would read it: rows numbered 1 to 144. */
    public static SeriesTable.Series series(String id, double scale) {
        float[] v = new float[VALUES.length];
        int[] lines = new int[VALUES.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (VALUES[i] * scale);
            lines[i] = i + 2;
        }
        Map<String, float[]> columns = new LinkedHashMap<>();
        columns.put("value", v);
        return new SeriesTable.Series(id, TimeAxis.index(v.length), columns, lines);
    }
}
