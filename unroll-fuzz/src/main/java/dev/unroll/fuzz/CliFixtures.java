package dev.unroll.fuzz;

import dev.unroll.cli.Console;
import dev.unroll.cli.Main;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** The small real files the command-line target runs on, made through the command line itself. */
final class CliFixtures {
    private static final int ROWS = 6;
    private static final int COLS = 6;

    private CliFixtures() {
    }

    /** A forecaster of the generated series: 8 units, window 20, a few iterations. */
    static Path forecaster(Path dir) throws IOException {
        Path out = dir.resolve("forecaster");
        run("forecast", "--iterations", "20", "--units", "8", "--threads", "1", "--out", out.toString());
        return out.resolve("model.safetensors");
    }

    /** A classifier of the images in {@code data}. */
    static Path classifier(Path dir, Path data) throws IOException {
        Path out = dir.resolve("classifier");
        run("classify", "--data", data.toString(), "--epochs", "1", "--units", "6", "--batch", "10", "--threads", "1",
                "--out", out.toString());
        return out.resolve("model.safetensors");
    }

    /** A CSV series with a header and 40 values. */
    static Path series(Path file) throws IOException {
        StringBuilder csv = new StringBuilder("t,value\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i).append(',').append(Math.sin(i / 3.0) * 5 + i * 0.1).append('\n');
        }
        return Files.writeString(file, csv);
    }

    /** The four MNIST-format files of 30 training and 10 test images of 6 × 6, 3 classes. */
    static Path mnistDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train", 30);
        write(dir, "t10k", 10);
        return dir;
    }

    private static void write(Path dir, String prefix, int n) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + n * ROWS * COLS).putInt(0x00000803).putInt(n).putInt(ROWS).putInt(COLS);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x00000801).putInt(n);
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            labels.put((byte) label);
            for (int p = 0; p < ROWS * COLS; p++) {
                images.put((byte) (p / COLS == 2 * label ? 250 : (p * 31 + i * 7) % 60));
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }

    private static void run(String... args) throws IOException {
        StringWriter err = new StringWriter();
        int code = Main.run(Console.of(new StringWriter(), err, false), args);
        if (code != 0) {
            throw new IOException("making a fuzzing fixture failed: " + String.join(" ", args) + ": " + err);
        }
    }
}
