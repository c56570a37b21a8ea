package dev.unroll.data;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An image-classification data set in the MNIST layout (seed §10): MNIST digits, Fashion-MNIST, or
 * any set shipped the same way. A directory holds four IDX files (see {@link Idx}), each raw or
 * gzip-compressed:
 * <pre>
 *   train-images-idx3-ubyte  train-labels-idx1-ubyte  t10k-images-idx3-ubyte  t10k-labels-idx1-ubyte
 * </pre>
 * (with or without {@code .gz}; the variant spelling {@code train-images.idx3-ubyte} is accepted too).
 * Images are {@code [N, rows, cols]} in [0, 1], which a recurrent network reads as {@code rows} time
 * steps of {@code cols} features.
 *
 * <p>Some files are sorted by class (the MNIST-digits set made by {@code fetch-datasets} is), so
 * {@link #subset} of the first examples may hold few classes; a random subset is
 * {@code train().select(...)} of a permutation (see {@link LabeledData#select}).
 *
 * @param train the training examples, images {@code [N, rows, cols]}
 * @param test the test examples, images of the same {@code rows × cols}
 * @param classes the number of classes; every label is in {@code [0, classes)}
 */
public record MnistDataset(LabeledData train, LabeledData test, int classes) {
    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** How many names of a directory's content an error message lists at most. */
    private static final int LISTED_NAMES = 20;

    /** Checks that the images are {@code [N, rows, cols]} alike in both splits and the labels in range. */
    public MnistDataset {
        int[] trainShape = train.inputs().shape();
        int[] testShape = test.inputs().shape();
        if (trainShape.length != 3 || testShape.length != 3) {
            throw new IllegalArgumentException("MNIST data set: images must be [N, rows, cols], got train "
                    + Shape.toString(trainShape) + " and test " + Shape.toString(testShape));
        }
        if (trainShape[1] != testShape[1] || trainShape[2] != testShape[2]) {
            throw new IllegalArgumentException("MNIST data set: test images are " + testShape[1] + "×" + testShape[2]
                    + " but train images are " + trainShape[1] + "×" + trainShape[2]);
        }
        if (classes < 1) {
            throw new IllegalArgumentException("MNIST data set: classes must be at least 1, got " + classes);
        }
        checkLabels("train", train.labels(), classes);
        checkLabels("test", test.labels(), classes);
    }

    /** Loads the four files of {@code dir}; the number of classes is the largest label plus one. */
    public static MnistDataset load(Path dir) throws IOException {
        LabeledData[] splits = loadSplits(dir);
        int classes = Math.max(1, Math.max(splits[0].impliedClasses(), splits[1].impliedClasses()));
        return new MnistDataset(splits[0], splits[1], classes);
    }

    /** Loads the four files of {@code dir}, checking every label is in {@code [0, classes)} (10 for MNIST). */
    public static MnistDataset load(Path dir, int classes) throws IOException {
        LabeledData[] splits = loadSplits(dir);
        return new MnistDataset(splits[0], splits[1], classes);
    }

    /** Rows of an image: the number of time steps when read as a sequence. */
    public int rows() {
        return train.inputs().dim(1);
    }

    /** Columns of an image: the number of features per time step. */
    public int cols() {
        return train.inputs().dim(2);
    }

    /** The first {@code trainCount} training and {@code testCount} test examples (views, no copy). */
    public MnistDataset subset(int trainCount, int testCount) {
        return new MnistDataset(train.first(trainCount), test.first(testCount), classes);
    }

    private static LabeledData[] loadSplits(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DataFileException(dir, "not a directory (expected one holding " + TRAIN_IMAGES + ", "
                    + TRAIN_LABELS + ", " + TEST_IMAGES + ", " + TEST_LABELS + ", each raw or .gz)");
        }
        String[] names = {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS};
        Path[] files = new Path[names.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            files[i] = find(dir, names[i]);
            if (files[i] == null) {
                missing.add(names[i] + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new DataFileException(dir, "not an MNIST-format data set: missing " + String.join(", ", missing)
                    + "; the directory holds " + listing(dir));
        }
        return new LabeledData[] {
            loadSplit(dir, "train", files[0], files[1]),
            loadSplit(dir, "test", files[2], files[3]),
        };
    }

    private static LabeledData loadSplit(Path dir, String split, Path imagesFile, Path labelsFile) throws IOException {
        Tensor images = Idx.readImages(imagesFile);
        int[] labels = Idx.readLabels(labelsFile);
        if (images.dim(0) != labels.length) {
            throw new DataFileException(dir, split + ": " + images.dim(0) + " images but " + labels.length
                    + " labels (" + imagesFile.getFileName() + ", " + labelsFile.getFileName() + ")");
        }
        return new LabeledData(images, labels);
    }

    /** The file for {@code name} in {@code dir}: raw first, then gzip, then the dotted spelling; null if none. */
    private static Path find(Path dir, String name) {
        String dotted = name.replace("-idx", ".idx");
        for (String candidate : new String[] {name, name + ".gz", dotted, dotted + ".gz"}) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    private static String listing(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).sorted().toList();
            if (names.isEmpty()) {
                return "nothing";
            }
            String shown = String.join(", ", names.subList(0, Math.min(LISTED_NAMES, names.size())));
            return names.size() > LISTED_NAMES ? shown + ", ... (" + names.size() + " entries)" : shown;
        }
    }

    private static void checkLabels(String split, int[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("MNIST data set: " + split + " label " + labels[i] + " at index " + i
                        + " is outside [0, " + classes + ")");
            }
        }
    }
}
