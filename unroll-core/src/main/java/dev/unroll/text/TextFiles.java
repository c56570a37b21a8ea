package dev.unroll.text;

import dev.unroll.data.DataFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading text files for training: strict UTF-8 (a byte that is not UTF-8 is an error naming the
 * line and column, never a silent U+FFFD), a byte-order mark dropped, an empty file an error.
 */
public final class TextFiles {
    /** Largest text file read (the text is held in memory, as Java chars). */
    public static final long MAX_BYTES = 1L << 30;

    private TextFiles() {
    }

    /** The text of {@code file}. */
    public static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw Files.exists(file) ? new DataFileException(file, "not a regular file") : new NoSuchFileException(file.toString());
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new DataFileException(file, size + " bytes; text files of at most " + MAX_BYTES + " bytes are read");
        }
        return decode(file, Files.readAllBytes(file));
    }

    /** The text of {@code bytes} read from {@code file} (for messages), checked as {@link #read} does. */
    public static String decode(Path file, byte[] bytes) throws DataFileException {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        if (bytes.length - start == 0) {
            throw new DataFileException(file, "empty text file");
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) {
            r = d.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = start;
            for (int i = start; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8).codePointCount(0,
                    new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8).length()) + 1;
            throw new DataFileException(file, line, String.format("invalid UTF-8: byte 0x%02X at column %d (the file must be UTF-8)",
                    bytes[at] & 0xFF, column));
        }
        out.flip();
        String text = out.toString();
        if (text.isBlank()) {
            throw new DataFileException(file, "the text file holds only white space");
        }
        return text;
    }
}
