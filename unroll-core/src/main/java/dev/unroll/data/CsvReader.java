package dev.unroll.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a delimited text file (CSV, TSV, semicolon-separated) record by record, in one pass and in
 * time linear in its length, as RFC 4180 describes with the leniencies spreadsheets need:
 * <ul>
 *   <li>fields are separated by one character ({@link #detectSeparator detected} or given);
 *       records end at LF, CRLF or CR; blank records are skipped (but counted in line numbers);</li>
 *   <li>a field may be wrapped in double quotes, possibly after spaces, inside which the separator
 *       and line breaks are ordinary text and {@code ""} stands for one quote; only spaces may follow
 *       the closing quote; a quote inside an unquoted field is ordinary text;</li>
 *   <li>unquoted fields are trimmed of surrounding whitespace; quoted ones are kept as written;</li>
 *   <li>the file must be UTF-8 (a byte-order mark is ignored); invalid bytes are an error naming
 *       the line.</li>
 * </ul>
 *
 * <p>A record may hold at most {@link #maxRecordChars()} characters (default 1 MiB, system property
 * {@code unroll.csv.maxRecordChars}): a file without line breaks, or with a quote never closed, is
 * reported when it reaches the limit rather than read into memory whole. Every problem is a
 * {@link DataFileException} naming the file and the 1-based line.
 */
public final class CsvReader implements Closeable {
    /** Default limit on the characters of one record. */
    public static final int DEFAULT_MAX_RECORD_CHARS = 1 << 20;
    private static final int MAX_RECORD_CHARS = Integer.getInteger("unroll.csv.maxRecordChars", DEFAULT_MAX_RECORD_CHARS);
    private static final char[] SEPARATORS = {',', ';', '\t'};
    /** Separator detection looks at this many records at most. */
    private static final int SAMPLE_RECORDS = 20;
    /** Cells quoted in messages are cut to this many characters. */
    private static final int EXCERPT_CHARS = 40;

    /** Passed as the separator to read whole records (quotes still group lines), for detection. */
    private static final char WHOLE_RECORDS = '\n';

    private final Path file;
    private final char separator;
    private final InputStream in;
    /** Bytes read but not decoded yet, and characters decoded but not read yet (both in read mode). */
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
    private final CharBuffer chars = CharBuffer.allocate(1 << 16);
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private boolean endOfBytes;
    private boolean flushed;
    /** Invalid UTF-8 met by the decoder, reported once the characters before it are read. */
    private CoderResult invalid;
    /** The line the reader is on (1-based), and the one the last record started on. */
    private int line = 1;
    private int recordLine;
    /** The raw text of the last record, kept only when reading whole records. */
    private final StringBuilder raw;

    private CsvReader(Path file, char separator) throws IOException {
        this.file = file;
        this.separator = separator;
        this.raw = separator == WHOLE_RECORDS ? new StringBuilder() : null;
        this.in = Files.newInputStream(file);
        bytes.flip();
        chars.flip();
        if (peek() == '\uFEFF') {
            take();
        }
    }

    /** Opens {@code file} with the given separator. */
    public static CsvReader open(Path file, char separator) throws IOException {
        checkSeparator(separator);
        return new CsvReader(file, separator);
    }

    /** Opens {@code file} with the separator {@link #detectSeparator} finds. */
    public static CsvReader open(Path file) throws IOException {
        return new CsvReader(file, detectSeparator(file));
    }

    /** Characters one record may hold. */
    public static int maxRecordChars() {
        return MAX_RECORD_CHARS;
    }

    /** Rejects characters that cannot separate fields. */
    public static char checkSeparator(char separator) {
        if (separator == '"' || separator == '\n' || separator == '\r' || separator == 0) {
            throw new IllegalArgumentException("CSV separator cannot be " + describe(separator));
        }
        return separator;
    }

    /**
     * Comma, semicolon or tab: the first of the three that splits each of the first records into
     * the same number, above one, of fields; comma when none does (a single-column file, or a ragged
     * one the reader will report).
     */
    public static char detectSeparator(Path file) throws IOException {
        List<String> sample = new ArrayList<>();
        try (CsvReader records = new CsvReader(file, WHOLE_RECORDS)) {
            while (sample.size() < SAMPLE_RECORDS && records.next() != null) {
                sample.add(records.raw.toString());
            }
        }
        for (char candidate : SEPARATORS) {
            int expected = -1;
            boolean consistent = !sample.isEmpty();
            for (String record : sample) {
                int count = fieldCount(record, candidate);
                consistent &= count > 1 && (expected < 0 || count == expected);
                expected = count;
            }
            if (consistent) {
                return candidate;
            }
        }
        return ',';
    }

    /** Fields of one raw record (quotes group), or -1 when its quotes do not pair up. */
    private static int fieldCount(String record, char separator) {
        int count = 1;
        boolean quoted = false;
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                count++;
            }
        }
        return quoted ? -1 : count;
    }

    /** The fields of the next non-blank record, or null at the end of the file. */
    public List<String> next() throws IOException {
        List<String> fields;
        do {
            fields = readRecord();
        } while (fields != null && fields.isEmpty());
        return fields;
    }

    /** One record's fields; empty for a blank record; null at the end of the file. */
    private List<String> readRecord() throws IOException {
        if (peek() < 0) {
            return null;
        }
        recordLine = line;
        if (raw != null) {
            raw.setLength(0);
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean blankRecord = true;
        boolean fieldBlank = true;
        boolean afterQuote = false;
        for (int chars = 0; ; chars++) {
            if (chars > MAX_RECORD_CHARS) {
                throw new DataFileException(file, recordLine, "a record longer than " + MAX_RECORD_CHARS
                        + " characters (the limit; system property unroll.csv.maxRecordChars)");
            }
            int c = take();
            if (c < 0 || c == '\n' || c == '\r') {
                endOfLine(c);
                if (blankRecord) {
                    return List.of();
                }
                fields.add(afterQuote ? field.toString() : field.toString().trim());
                return fields;
            }
            if (c == separator) {
                fields.add(afterQuote ? field.toString() : field.toString().trim());
                field.setLength(0);
                fieldBlank = true;
                afterQuote = false;
                blankRecord = false;
            } else if (afterQuote && raw == null) {
                if (c != ' ' && c != '\t') {
                    throw new DataFileException(file, line, "text after the closing quote of field " + (fields.size() + 1)
                            + " (\"" + excerpt(field.toString()) + "\"): '" + (char) c + "'");
                }
            } else if (c == '"' && fieldBlank) {
                chars += quoted(field, chars);
                afterQuote = true;
                blankRecord = false;
            } else {
                field.append((char) c);
                fieldBlank &= Character.isWhitespace(c);
                blankRecord &= fieldBlank;
            }
        }
    }

    /**
     * The rest of a quoted field, after its opening quote, up to and including its closing quote,
     * into {@code field} (replacing the spaces before the quote); returns the characters read.
     */
    private int quoted(StringBuilder field, int charsBefore) throws IOException {
        field.setLength(0);
        int start = line;
        for (int chars = 0; ; chars++) {
            if (charsBefore + chars > MAX_RECORD_CHARS) {
                throw new DataFileException(file, start, "a quoted field longer than " + MAX_RECORD_CHARS
                        + " characters (the limit; system property unroll.csv.maxRecordChars): is its closing quote missing?");
            }
            int c = take();
            if (c < 0) {
                throw new DataFileException(file, start, "a quoted field opened on this line is not closed (the file ends inside it)");
            }
            if (c == '"') {
                if (peek() != '"') {
                    return chars + 1;
                }
                take();
                chars++;
            } else if (c == '\n' || c == '\r' && peek() != '\n') {
                line++;
            }
            field.append((char) c);
        }
    }

    private void endOfLine(int c) throws IOException {
        if (c == '\r' && peek() == '\n') {
            take();
        }
        if (c >= 0) {
            line++;
        }
    }

    private int peek() throws IOException {
        if (!chars.hasRemaining() && !decode()) {
            return -1;
        }
        return chars.get(chars.position());
    }

    /**
     * Decodes more characters; false at the end of the file. Decoding is done here rather than by
     * an {@code InputStreamReader} so that invalid UTF-8 is reported on its own line: the
     * characters before it are read first.
     */
    private boolean decode() throws IOException {
        if (invalid != null) {
            throw new DataFileException(file, line, "not UTF-8 text (" + invalid.length() + " invalid byte"
                    + (invalid.length() == 1 ? "" : "s") + ")");
        }
        if (flushed) {
            return false;
        }
        chars.clear();
        while (chars.position() == 0) {
            CoderResult r = decoder.decode(bytes, chars, endOfBytes);
            if (r.isError()) {
                invalid = r;
                break;
            }
            if (r.isOverflow()) {
                break;
            }
            if (endOfBytes) {
                decoder.flush(chars);
                flushed = true;
                break;
            }
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                endOfBytes = true;
            } else {
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
        }
        chars.flip();
        if (!chars.hasRemaining() && invalid != null) {
            return decode();
        }
        return chars.hasRemaining();
    }

    private int take() throws IOException {
        int c = peek();
        if (c >= 0) {
            chars.get();
            if (raw != null && c != '\n' && c != '\r') {
                raw.append((char) c);
            }
        }
        return c;
    }

    /** The line the last record returned by {@link #next} starts on. */
    public int line() {
        return recordLine;
    }

    public Path file() {
        return file;
    }

    public char separator() {
        return separator;
    }

    /** A cell as quoted in a message: at most 40 characters, then an ellipsis and the length. */
    public static String excerpt(String cell) {
        return cell.length() <= EXCERPT_CHARS ? cell
                : cell.substring(0, EXCERPT_CHARS) + "... (" + cell.length() + " characters)";
    }

    /** {@code "','"}, {@code "tab"}: a separator for messages. */
    public static String describe(char separator) {
        return switch (separator) {
            case '\t' -> "tab";
            case '\n' -> "newline";
            case '\r' -> "carriage return";
            case 0 -> "NUL";
            default -> "'" + separator + "'";
        };
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
