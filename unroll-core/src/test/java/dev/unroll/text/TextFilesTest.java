package dev.unroll.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.data.DataFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bad inputs of issue 12, each a one-line error naming the file and the line. */
class TextFilesTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    @Test
    void readsUtf8WithoutItsByteOrderMark() throws Exception {
        byte[] body = "héllo\nwörld\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        assertEquals("héllo\nwörld\n", TextFiles.read(write("a.txt", withBom)));
    }

    @Test
    void invalidUtf8NamesTheLineAndColumn() throws Exception {
        byte[] b = "first line\nsecond é line\nthird \u00ff".getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[b.length + 1];
        System.arraycopy(b, 0, bad, 0, b.length);
        bad[b.length] = (byte) 0xC3; // a lead byte with nothing after it
        bad[b.length - 2] = (byte) 0xFF; // inside line 3
        Path f = write("bad.txt", bad);
        DataFileException e = assertThrows(DataFileException.class, () -> TextFiles.read(f));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(f + ":3: invalid UTF-8: byte 0xFF at column 7"), e.getMessage());
    }

    @Test
    void anEmptyFileIsAnError() throws Exception {
        Path f = write("empty.txt", new byte[0]);
        var e = assertThrows(DataFileException.class, () -> TextFiles.read(f));
        assertEquals(f + ": empty text file", e.getMessage());
        Path blank = write("blank.txt", " \n\n".getBytes(StandardCharsets.UTF_8));
        assertThrows(DataFileException.class, () -> TextFiles.read(blank));
    }

    @Test
    void labelledTextsFromTsvAndCsv() throws Exception {
        Path tsv = write("t.tsv", "\"Quoted\" text\ten\n\nautre texte\tfr\r\n".getBytes(StandardCharsets.UTF_8));
        LabeledTexts t = LabeledTexts.read(tsv);
        assertEquals(List.of("\"Quoted\" text", "autre texte"), t.texts());
        assertEquals(List.of("en", "fr"), t.labels());
        assertEquals(3, t.lines()[1], "blank lines count");
        Path csv = write("t.csv", "label,text\nen,\"a, b\"\nfr,c\n".getBytes(StandardCharsets.UTF_8));
        LabeledTexts c = LabeledTexts.read(csv, 1, 0);
        assertEquals(List.of("text", "a, b", "c"), c.texts());
    }

    @Test
    void tableProblemsNameTheLine() throws Exception {
        Path few = write("few.tsv", "a\tx\nno label here\n".getBytes(StandardCharsets.UTF_8));
        var e = assertThrows(DataFileException.class, () -> LabeledTexts.read(few));
        assertTrue(e.getMessage().startsWith(few + ":2: expected at least 2 tab-separated columns"), e.getMessage());
        Path empty = write("empty.tsv", "a\tx\n\ty\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(assertThrows(DataFileException.class, () -> LabeledTexts.read(empty)).getMessage().contains(":2: the text"));
        Path train = write("train.tsv", "a\tx\nb\ty\n".getBytes(StandardCharsets.UTF_8));
        Path test = write("test.tsv", "a\tx\nc\tz\n".getBytes(StandardCharsets.UTF_8));
        List<String> labels = LabeledTexts.read(train).distinctLabels();
        var unseen = assertThrows(DataFileException.class, () -> LabeledTexts.read(test).classes(labels));
        assertTrue(unseen.getMessage().startsWith(test + ":2: label 'z' was not seen in training; the model knows x, y"),
                unseen.getMessage());
    }
}
