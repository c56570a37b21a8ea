package dev.unroll.data;

import static dev.unroll.data.IdxFixtures.gzip;
import static dev.unroll.data.IdxFixtures.imageFile;
import static dev.unroll.data.IdxFixtures.labelFile;
import static dev.unroll.data.IdxFixtures.write;
import static dev.unroll.data.MessageAssert.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDatasetTest {
    @TempDir
    Path dir;

    @Test
    void loadsTheCommittedFixtureMixingGzipAndRaw() throws Exception {
        MnistDataset data = MnistDataset.load(IdxTest.tinyMnist());
        assertArrayEquals(new int[] {5, 4, 3}, data.train().inputs().shape());
        assertArrayEquals(new int[] {3, 4, 3}, data.test().inputs().shape());
        assertArrayEquals(IdxFixtures.TRAIN_LABELS, data.train().labels());
        assertArrayEquals(IdxFixtures.TEST_LABELS, data.test().labels());
        assertEquals(3, data.classes(), "largest label 2, plus one");
        assertEquals(4, data.rows());
        assertEquals(3, data.cols());
        IdxTest.assertFixturePixels(data.train().inputs());
        IdxTest.assertFixturePixels(data.test().inputs());
    }

    @Test
    void aFreshlyWrittenDataSetLoadsLikeTheCommittedOne() throws Exception {
        IdxFixtures.writeTinyMnist(dir);
        MnistDataset fresh = MnistDataset.load(dir);
        MnistDataset committed = MnistDataset.load(IdxTest.tinyMnist());
        assertArrayEquals(committed.train().inputs().toArray(), fresh.train().inputs().toArray());
        assertArrayEquals(committed.test().labels(), fresh.test().labels());
    }

    @Test
    void givenClassCountChecksEveryLabel() throws Exception {
        assertEquals(10, MnistDataset.load(IdxTest.tinyMnist(), 10).classes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MnistDataset.load(IdxTest.tinyMnist(), 2));
        assertMentions(e, "train label 2 at index 2 is outside [0, 2)");
    }

    @Test
    void theDottedFileNameSpellingIsAccepted() throws Exception {
        write(dir.resolve("train-images.idx3-ubyte"), imageFile(2, 3, 3));
        write(dir.resolve("train-labels.idx1-ubyte.gz"), gzip(labelFile(0, 1)));
        write(dir.resolve("t10k-images-idx3-ubyte"), imageFile(1, 3, 3));
        write(dir.resolve("t10k-labels-idx1-ubyte"), labelFile(1));
        MnistDataset data = MnistDataset.load(dir);
        assertEquals(2, data.train().size());
        assertEquals(1, data.test().size());
    }

    @Test
    void missingFilesAreListedWithWhatTheDirectoryHolds() throws Exception {
        write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(imageFile(2, 3, 3)));
        Files.writeString(dir.resolve("notes.txt"), "not data");
        DataFileException e = assertThrows(DataFileException.class, () -> MnistDataset.load(dir));
        assertMentions(e, dir.toString(),
                "missing train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]",
                "the directory holds notes.txt, train-images-idx3-ubyte.gz");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertMentions(assertThrows(DataFileException.class, () -> MnistDataset.load(empty)),
                "missing train-images-idx3-ubyte[.gz]", "the directory holds nothing");
    }

    @Test
    void aPathThatIsNotADirectoryIsReported() {
        Path nowhere = dir.resolve("no-such-dir");
        assertMentions(assertThrows(DataFileException.class, () -> MnistDataset.load(nowhere)),
                nowhere.toString(), "not a directory", "train-images-idx3-ubyte");
    }

    @Test
    void imageAndLabelCountsMustMatch() {
        IdxFixtures.writeTinyMnist(dir);
        write(dir.resolve("train-labels-idx1-ubyte"), labelFile(0, 1, 2, 1));
        assertMentions(assertThrows(DataFileException.class, () -> MnistDataset.load(dir)),
                dir.toString(), "train: 5 images but 4 labels",
                "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte");
    }

    @Test
    void trainAndTestImagesMustHaveOneSize() {
        IdxFixtures.writeTinyMnist(dir);
        write(dir.resolve("t10k-images-idx3-ubyte"), imageFile(3, 5, 3));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> MnistDataset.load(dir)),
                "test images are 5×3 but train images are 4×3");
    }

    @Test
    void subsetTakesTheFirstExamplesWithoutCopying() throws Exception {
        MnistDataset data = MnistDataset.load(IdxTest.tinyMnist());
        MnistDataset small = data.subset(2, 1);
        assertArrayEquals(new int[] {2, 4, 3}, small.train().inputs().shape());
        assertArrayEquals(new int[] {0, 1}, small.train().labels());
        assertArrayEquals(new int[] {2}, small.test().labels());
        assertEquals(data.classes(), small.classes());
        assertSame(data.train().inputs().data(), small.train().inputs().data());
        IdxTest.assertFixturePixels(small.train().inputs());
        assertMentions(assertThrows(IllegalArgumentException.class, () -> data.subset(6, 1)),
                "first 6 examples requested, but there are 5");
    }
}
