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

    /** Saves {@code plain} as {@code <name>.onnx} and {@code withLengths} as {@code <name>-lengths.onnx}. */
    static void save(String name, byte[] plain, byte[] withLengths) throws IOException {
        Files.createDirectories(DIR);
        String base = name.replace(' ', '-');
        Files.write(DIR.resolve(base + ".onnx"), plain);
        Files.write(DIR.resolve(base + "-lengths.onnx"), withLengths);
    }
}
