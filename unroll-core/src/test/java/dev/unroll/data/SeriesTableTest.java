package dev.unroll.data;

import static dev.unroll.data.MessageAssert.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesTableTest {
    @TempDir
    Path dir;

    private Path csv(String content) throws IOException {
        return Files.writeString(dir.resolve("t.csv"), content);
    }

    @Test
    void readsColumnsByNameWithDatesInLongFormat() throws IOException {
        Path f = csv("store,date,sales,price\na,2024-01-01,10,1.5\na,2024-01-02,11,1.5\nb,2024-01-01,5,2\nb,2024-01-02,6,2.5\na,2024-01-03,12,1.0\n");
        SeriesTable t = SeriesTable.reader().time("date").seriesId("store").columns(List.of("price", "sales")).read(f);
        assertEquals(2, t.series().size());
        SeriesTable.Series a = t.series().get(0);
        assertEquals("a", a.id());
        assertArrayEquals(new float[] {10, 11, 12}, a.column("sales"));
        assertArrayEquals(new float[] {1.5f, 1.5f, 1.0f}, a.column("price"));
        assertArrayEquals(new int[] {2, 3, 6}, a.lines());
        assertEquals(TimeAxis.Kind.DATE, a.time().kind());
        assertEquals("2024-01-04", a.time().format(a.time().after(1)));
        assertEquals(List.of("price", "sales"), List.copyOf(a.columns().keySet()));
    }

    @Test
    void timesMustIncreaseWithinEachSeries() throws IOException {
        Path out = csv("date,y\n2024-01-02,1\n2024-01-01,2\n");
        assertMentions(assertThrows(DataFileException.class, () -> SeriesTable.reader().time("date").columns(List.of("y")).read(out)),
                out + ":3: its time comes before line 2's; times must increase");
        Path repeated = csv("id,t,y\nx,1,1\nx,2,1\nx,2,3\n");
        assertMentions(assertThrows(DataFileException.class,
                () -> SeriesTable.reader().time("t").seriesId("id").columns(List.of("y")).read(repeated)),
                ":4: repeats the time of line 3 (series 'x')");
    }

    @Test
    void timesOfAnotherKindAndBadCellsNameTheLine() throws IOException {
        Path mixed = csv("date,y\n2024-01-01,1\n2024-01-02T10:00,2\n");
        assertMentions(assertThrows(DataFileException.class, () -> SeriesTable.reader().time("date").columns(List.of("y")).read(mixed)),
                ":3: time column \"date\": \"2024-01-02T10:00\" is not an ISO date (yyyy-MM-dd) like line 2's");
        Path bad = csv("date,y\n2024-01-01,1\n2024-01-02,0x1p3\n");
        assertMentions(assertThrows(DataFileException.class, () -> SeriesTable.reader().time("date").columns(List.of("y")).read(bad)),
                ":3: column \"y\": \"0x1p3\" is not a number");
        Path missingColumn = csv("date,y\n2024-01-01,1\n");
        assertMentions(assertThrows(DataFileException.class, () -> SeriesTable.reader().time("date").columns(List.of("load")).read(missingColumn)),
                ":1: no numeric column named \"load\"; the header has 2: date, y");
        Path ragged = csv("date,y\n2024-01-01,1,7\n");
        assertMentions(assertThrows(DataFileException.class, () -> SeriesTable.reader().columns(List.of("y")).read(ragged)),
                ":2: the row has 3 fields, the header 2");
    }

    @Test
    void missingValuesAreAnErrorUnlessAPolicySaysOtherwise() throws IOException {
        Path f = csv("t,y,z\n1,1,10\n2,NA,20\n3,,30\n4,4,40\n");
        assertMentions(assertThrows(DataFileException.class, () -> SeriesTable.reader().time("t").columns(List.of("y")).read(f)),
                ":3: column \"y\": missing value (NA); choose a policy");
        SeriesTable.Reader r = SeriesTable.reader().time("t").columns(List.of("y", "z"));
        SeriesTable.Series dropped = r.missing(MissingValues.DROP).read(f).series().get(0);
        assertArrayEquals(new float[] {1, 4}, dropped.column("y"));
        assertArrayEquals(new float[] {10, 40}, dropped.column("z"));
        assertArrayEquals(new float[] {1, 1, 1, 4}, r.missing(MissingValues.FORWARD_FILL).read(f).series().get(0).column("y"));
        assertArrayEquals(new float[] {1, 2, 3, 4}, r.missing(MissingValues.INTERPOLATE).read(f).series().get(0).column("y"));
        Path leading = csv("t,y\n1,\n2,2\n");
        assertMentions(assertThrows(DataFileException.class,
                () -> SeriesTable.reader().time("t").columns(List.of("y")).missing(MissingValues.INTERPOLATE).read(leading)),
                ":2: column \"y\": missing value with no value before it to interpolate from");
    }

    @Test
    void stepsAreInferredFromTheTimes() throws IOException {
        Path monthly = csv("d,y\n2023-11-01,1\n2023-12-01,2\n2024-01-01,3\n2024-02-01,4\n");
        TimeAxis m = SeriesTable.reader().time("d").columns(List.of("y")).read(monthly).series().get(0).time();
        assertEquals("monthly", m.step().toString());
        assertEquals("2024-04-01", m.format(m.after(2)));
        Path halfHourly = csv("d,y\n2000-06-05T00:00:00,1\n2000-06-05 00:30,2\n2000-06-05T01:00:00Z,3\n");
        TimeAxis h = SeriesTable.reader().time("d").columns(List.of("y")).read(halfHourly).series().get(0).time();
        assertEquals(1800, h.step().seconds());
        assertEquals("2000-06-05T01:30:00", h.format(h.after(1)));
        assertEquals(30, h.dateTime(1).getMinute());
        Path noTime = csv("y\n5\n6\n");
        TimeAxis n = SeriesTable.reader().columns(List.of("y")).read(noTime).series().get(0).time();
        assertEquals("3", n.format(n.after(1)));
    }

    @Test
    void futureRowsHoldCovariatesAfterTheLastTarget() throws IOException {
        Path f = csv("t,y,x\n1,1,10\n2,NA,20\n3,3,30\n4,,40\n5,,50\n");
        SeriesTable.Reader r = SeriesTable.reader().time("t").columns(List.of("y", "x")).futureRows(List.of("y"));
        assertMentions(assertThrows(DataFileException.class, () -> r.read(f)), ":3: column \"y\": missing value; choose a policy");
        SeriesTable.Series s = r.missing(MissingValues.INTERPOLATE).read(f).series().get(0);
        assertEquals(3, s.observed());
        assertEquals(5, s.length());
        assertArrayEquals(new float[] {1, 2, 3, Float.NaN, Float.NaN}, s.column("y"));
        assertArrayEquals(new float[] {10, 20, 30, 40, 50}, s.column("x"));
        Path noFuture = csv("t,y,x\n1,1,10\n2,2,20\n");
        assertEquals(2, r.read(noFuture).series().get(0).observed());
        Path featureMissing = csv("t,y,x\n1,1,10\n2,,\n");
        assertMentions(assertThrows(DataFileException.class, () -> r.read(featureMissing)), ":3: column \"x\": missing value");
    }

    @Test
    void timesGivenAsTextReadAsATableTimeColumnDoes() {
        TimeAxis months = TimeAxis.parse(List.of("2024-01-01", "2024-02-01", "2024-03-01"), "date");
        assertEquals(TimeAxis.Kind.DATE, months.kind());
        assertEquals("2024-04-01", months.format(months.after(1)));
        assertEquals(TimeAxis.Kind.DATE_TIME, TimeAxis.parse(List.of("2024-01-01T00:00", "2024-01-01 01:00"), "t").kind());
        assertEquals(3.0, TimeAxis.parse(List.of("1", "2", "3"), "t").value(2));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> TimeAxis.parse(List.of("2024-01-01", "1"), "date")),
                "date[1]: \"1\" is not an ISO date (yyyy-MM-dd) like date[0]");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> TimeAxis.parse(List.of("3", "2"), "t")),
                "t[1]: \"2\" does not come after t[0] (\"3\"); times must strictly increase");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> TimeAxis.parse(List.of("soon"), "t")),
                "t[0]: \"soon\" is not an ISO date, an ISO date-time or a number");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> TimeAxis.parse(List.of(), "t")), "t: no times");
    }
}
