package dev.unroll.preprocess;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text ↔ token ids, at one of three levels, saved with a model (inside {@link TextPreprocessing}) so
 * that the ids that trained are the ids that predict.
 *
 * <ul>
 *   <li>{@link Level#BYTE} (the default): the UTF-8 bytes of the text, ids 0–255; nothing is ever
 *       unknown and nothing needs building. No reserved ids (padding past a sequence's length is
 *       masked by the lengths, not by an id).</li>
 *   <li>{@link Level#CHAR}: Unicode code points (not UTF-16 units: 😀 is one token), built from
 *       training text.</li>
 *   <li>{@link Level#WORD}: runs of letters, marks and digits (with inner apostrophes:
 *       {@code don't}), and each other non-space character on its own (punctuation); spaces
 *       separate tokens and are not tokens.</li>
 * </ul>
 *
 * <p>Built vocabularies reserve ids 0–3 for {@code <pad>}, {@code <unk>}, {@code <bos>},
 * {@code <eos>}; then the tokens seen at least {@code minCount} times, most frequent first (ties
 * by the token's code points), at most {@code maxSize} ids in all. A token outside the vocabulary
 * encodes as {@code <unk>}. Immutable and thread-safe.
 */
public final class Vocabulary {
    /** The unit of a token. */
    public enum Level {
        BYTE("byte"), CHAR("char"), WORD("word");

        public final String id;

        Level(String id) {
            this.id = id;
        }

        /** The level of a name ({@code byte}, {@code char}, {@code word}). */
        public static Level parse(String s) {
            for (Level l : values()) {
                if (l.id.equals(s)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("unknown vocabulary level '" + s + "'; expected byte, char or word");
        }
    }

    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";
    public static final String BOS = "<bos>";
    public static final String EOS = "<eos>";
    private static final List<String> RESERVED = List.of(PAD, UNK, BOS, EOS);
    /** The most ids a vocabulary may have (a float holds every id exactly; a table stays sane). */
    public static final int MAX_SIZE = 1 << 22;

    private static final Vocabulary BYTES = new Vocabulary(Level.BYTE, List.of());

    private final Level level;
    /** Built levels: the tokens by id (ids 0–3 the reserved ones). Empty for bytes. */
    private final List<String> tokens;
    private final Map<String, Integer> ids;
    /** CHAR: code point → id, for the common case without a map lookup per character. */
    private final Map<Integer, Integer> codePoints;

    private Vocabulary(Level level, List<String> tokens) {
        this.level = level;
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>();
        this.codePoints = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (ids.put(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("vocabulary: token '" + tokens.get(i) + "' appears twice");
            }
            if (level == Level.CHAR && i >= RESERVED.size()) {
                codePoints.put(tokens.get(i).codePointAt(0), i);
            }
        }
    }

    /** The 256 byte values. */
    public static Vocabulary bytes() {
        return BYTES;
    }

    /** Code points of {@code texts} seen at least {@code minCount} times; at most {@code maxSize} ids. */
    public static Vocabulary characters(Iterable<String> texts, int minCount, int maxSize) {
        Map<String, Integer> counts = new HashMap<>();
        for (String t : texts) {
            t.codePoints().forEach(cp -> counts.merge(new String(Character.toChars(cp)), 1, Integer::sum));
        }
        return build(Level.CHAR, counts, minCount, maxSize);
    }

    /** Words and punctuation of {@code texts} seen at least {@code minCount} times; at most {@code maxSize} ids. */
    public static Vocabulary words(Iterable<String> texts, int minCount, int maxSize) {
        Map<String, Integer> counts = new HashMap<>();
        for (String t : texts) {
            for (String w : splitWords(t)) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        return build(Level.WORD, counts, minCount, maxSize);
    }

    /** A vocabulary of the given level built from {@code texts} (bytes ignore the texts and limits). */
    public static Vocabulary build(Level level, Iterable<String> texts, int minCount, int maxSize) {
        return switch (level) {
            case BYTE -> bytes();
            case CHAR -> characters(texts, minCount, maxSize);
            case WORD -> words(texts, minCount, maxSize);
        };
    }

    private static Vocabulary build(Level level, Map<String, Integer> counts, int minCount, int maxSize) {
        if (minCount < 1) {
            throw new IllegalArgumentException("vocabulary: minimum count must be at least 1, got " + minCount);
        }
        if (maxSize < RESERVED.size() + 1 || maxSize > MAX_SIZE) {
            throw new IllegalArgumentException("vocabulary: maximum size must be in [" + (RESERVED.size() + 1) + ", " + MAX_SIZE
                    + "] (4 ids are reserved), got " + maxSize);
        }
        List<Map.Entry<String, Integer>> seen = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= minCount && !RESERVED.contains(e.getKey())) {
                seen.add(e);
            }
        }
        seen.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : b.getValue() - a.getValue());
        List<String> tokens = new ArrayList<>(RESERVED);
        for (int i = 0; i < seen.size() && tokens.size() < maxSize; i++) {
            tokens.add(seen.get(i).getKey());
        }
        if (tokens.size() == RESERVED.size()) {
            throw new IllegalArgumentException("vocabulary: no token occurs " + minCount + " times or more in the training text");
        }
        return new Vocabulary(level, tokens);
    }

    public Level level() {
        return level;
    }

    /** Number of ids. */
    public int size() {
        return level == Level.BYTE ? 256 : tokens.size();
    }

    /** The padding id, or −1 (bytes have none). */
    public int pad() {
        return level == Level.BYTE ? -1 : 0;
    }

    /** The unknown-token id, or −1 (bytes have none). */
    public int unk() {
        return level == Level.BYTE ? -1 : 1;
    }

    /** The begin-of-sequence id, or −1 (bytes have none). */
    public int bos() {
        return level == Level.BYTE ? -1 : 2;
    }

    /** The end-of-sequence id, or −1 (bytes have none). */
    public int eos() {
        return level == Level.BYTE ? -1 : 3;
    }

    /** The ids of a text. */
    public int[] encode(String text) {
        switch (level) {
            case BYTE -> {
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                int[] out = new int[b.length];
                for (int i = 0; i < b.length; i++) {
                    out[i] = b[i] & 0xFF;
                }
                return out;
            }
            case CHAR -> {
                return text.codePoints().map(cp -> codePoints.getOrDefault(cp, 1)).toArray();
            }
            default -> {
                List<String> words = splitWords(text);
                int[] out = new int[words.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = ids.getOrDefault(words.get(i), 1);
                }
                return out;
            }
        }
    }

    /** The number of ids {@link #encode} gives for a text. */
    public int length(String text) {
        return switch (level) {
            case BYTE -> utf8Length(text);
            case CHAR -> text.codePointCount(0, text.length());
            case WORD -> splitWords(text).size();
        };
    }

    /** The id of one token (a byte's id is its value), or {@link #unk()}. */
    public int id(String token) {
        if (level == Level.BYTE) {
            throw new UnsupportedOperationException("a byte vocabulary has no token strings; encode the text instead");
        }
        return ids.getOrDefault(token, 1);
    }

    /** A token for display: its text, or {@code <0xNN>} for a byte that is not printable ASCII. */
    public String token(int id) {
        checkId(id);
        if (level == Level.BYTE) {
            return id >= 0x20 && id < 0x7F ? String.valueOf((char) id) : String.format("<0x%02X>", id);
        }
        return tokens.get(id);
    }

    /**
     * The text of ids: bytes decoded as UTF-8 (an incomplete or invalid sequence becomes U+FFFD),
     * characters concatenated, words joined by spaces (none before punctuation). {@code <unk>} decodes
     * to U+FFFD (characters) or {@code <unk>} (words); the other reserved ids to nothing.
     */
    public String decode(int[] ids) {
        Decoder d = decoder();
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(d.append(id));
        }
        return sb.append(d.finish()).toString();
    }

    /** An incremental decoder: the text of a stream of ids, as each one arrives. */
    public Decoder decoder() {
        return new Decoder(this);
    }

    /** Decodes ids one at a time (generation prints as it goes); not thread-safe. */
    public static final class Decoder {
        private final Vocabulary vocabulary;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final ByteBuffer pending = ByteBuffer.allocate(8);
        private final CharBuffer chars = CharBuffer.allocate(16);
        private boolean first = true;

        private Decoder(Vocabulary vocabulary) {
            this.vocabulary = vocabulary;
        }

        /** The text this id completes (empty while a UTF-8 sequence is incomplete, or for a reserved id). */
        public String append(int id) {
            vocabulary.checkId(id);
            switch (vocabulary.level) {
                case BYTE -> {
                    pending.put((byte) id);
                    pending.flip();
                    chars.clear();
                    utf8.decode(pending, chars, false);
                    pending.compact();
                    chars.flip();
                    return chars.toString();
                }
                case CHAR -> {
                    return id == 1 ? "\uFFFD" : id < RESERVED.size() ? "" : vocabulary.tokens.get(id);
                }
                default -> {
                    if (id != 1 && id < RESERVED.size()) {
                        return "";
                    }
                    String w = vocabulary.tokens.get(id);
                    boolean glue = first || (w.codePointCount(0, w.length()) == 1 && !isWordChar(w.codePointAt(0)));
                    first = false;
                    return glue ? w : " " + w;
                }
            }
        }

        /** What an incomplete UTF-8 sequence at the end decodes to (U+FFFD), or empty. */
        public String finish() {
            if (pending.position() == 0) {
                return "";
            }
            pending.clear();
            utf8.reset();
            return "\uFFFD";
        }
    }

    private void checkId(int id) {
        if (id < 0 || id >= size()) {
            throw new IllegalArgumentException("id " + id + " is outside the vocabulary [0, " + size() + ")");
        }
    }

    /** The tokens of the word level: words (letters, marks, digits; inner apostrophes) and single other characters. */
    static List<String> splitWords(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            if (isWordChar(cp)) {
                i += Character.charCount(cp);
                while (i < n) {
                    int c = text.codePointAt(i);
                    if (isWordChar(c)) {
                        i += Character.charCount(c);
                    } else if ((c == '\'' || c == '’') && i + 1 < n && isWordChar(text.codePointAt(i + 1))) {
                        i++;
                    } else {
                        break;
                    }
                }
            } else {
                i += Character.charCount(cp);
            }
            out.add(text.substring(start, i));
        }
        return out;
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
                || Character.getType(cp) == Character.COMBINING_SPACING_MARK;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ saved form

    /** {@code {"level": ..., "tokens": [...]}} (no tokens for bytes). */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("level", level.id);
        if (level != Level.BYTE) {
            c.put("tokens", new ArrayList<>(tokens));
        }
        return c;
    }

    /** The vocabulary {@link #config()} describes, checked. */
    public static Vocabulary fromConfig(Map<String, Object> c) {
        Level level = Level.parse(Configs.string(c, "level"));
        if (level == Level.BYTE) {
            Configs.requireKeys("byte vocabulary", c, "level");
            return BYTES;
        }
        Configs.requireKeys(level.id + " vocabulary", c, "level", "tokens");
        List<String> tokens = Configs.strings(c, "tokens");
        if (tokens.size() > MAX_SIZE || tokens.size() <= RESERVED.size() || !tokens.subList(0, RESERVED.size()).equals(RESERVED)) {
            throw new IllegalArgumentException("vocabulary: tokens must start with " + RESERVED + ", then 1 to " + (MAX_SIZE - 4)
                    + " tokens; got " + Math.min(tokens.size(), 6) + " first of " + tokens.size());
        }
        for (int i = RESERVED.size(); i < tokens.size(); i++) {
            String t = tokens.get(i);
            boolean ok = level == Level.CHAR ? !t.isEmpty() && t.codePointCount(0, t.length()) == 1 : splitWords(t).equals(List.of(t));
            if (!ok) {
                throw new IllegalArgumentException("vocabulary: token " + i + " " + Strings.quote(t) + " is not one "
                        + (level == Level.CHAR ? "code point" : "word or punctuation character"));
            }
        }
        return new Vocabulary(level, tokens);
    }

    /** The tokens by id (empty for bytes). */
    public List<String> tokens() {
        return Collections.unmodifiableList(tokens);
    }

    @Override
    public String toString() {
        return level.id + " vocabulary of " + size() + " ids";
    }

    /** Quoting for messages. */
    static final class Strings {
        private Strings() {
        }

        static String quote(String s) {
            StringBuilder sb = new StringBuilder("'");
            s.codePoints().limit(40).forEach(cp -> {
                if (cp < 0x20 || cp == 0x7F) {
                    sb.append(String.format("\\u%04x", cp));
                } else {
                    sb.appendCodePoint(cp);
                }
            });
            return sb.append(s.codePointCount(0, s.length()) > 40 ? "...'" : "'").toString();
        }
    }
}
