package dev.unroll.cli;

import java.io.IOException;
import java.nio.file.Path;

/** Tiny models trained through the command line, for the commands that use a saved model. */
final class Models {
    private Models() {
    }

    /** A forecaster of the generated series (8 units, window 20). */
    static Path forecaster(Path dir) {
        Path out = dir.resolve("forecaster");
        Cli.Result r = Cli.run("forecast", "--iterations", "20", "--units", "8", "--threads", "1", "--out", out.toString());
        if (r.exitCode() != 0) {
            throw new AssertionError(r.toString());
        }
        return out.resolve("model.safetensors");
    }

    /** A classifier of {@link IdxFiles}' synthetic 6x6 images (3 classes); its data set is in {@code dir/data}. */
    static Path classifier(Path dir) throws IOException {
        Path data = IdxFiles.syntheticDataset(dir.resolve("data"), 60, 30);
        Path out = dir.resolve("classifier");
        Cli.Result r = Cli.run("classify", "--data", data.toString(), "--epochs", "4", "--units", "16", "--batch", "10",
                "--lr", "0.01", "--threads", "1", "--out", out.toString());
        if (r.exitCode() != 0) {
            throw new AssertionError(r.toString());
        }
        return out.resolve("model.safetensors");
    }
}
