package dev.unroll.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the files the tests export under {@code target/onnx-samples}, so that
 * {@code tools/onnx/check_exports.py} can run the official {@code onnx.checker} (and ONNX Runtime
 * for Python) over them; the tests themselves never need Python.
 */
final class Samples {
    static final Path DIR = Path.of("target", "onnx-samples");

    private Samples() {
    }

    /** Saves a file as {@code <name>.onnx} (spaces in the name become dashes). */
    static void save(String name, byte[] file) throws IOException {
        Files.createDirectories(DIR);
        Files.write(DIR.resolve(name.replace(' ', '-') + ".onnx"), file);
    }
}
