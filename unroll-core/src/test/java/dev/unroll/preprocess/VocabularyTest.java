package dev.unroll.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VocabularyTest {
    @Test
    void bytesAreUtf8AndNeverUnknown() {
        Vocabulary v = Vocabulary.bytes();
        String text = "né 😀 Привет";
        int[] ids = v.encode(text);
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, ids.length);
        assertEquals(ids.length, v.length(text));
        assertEquals(256, v.size());
        assertEquals(-1, v.pad());
        assertEquals(text, v.decode(ids));
        assertEquals("a", v.token('a'));
        assertEquals("<0xC3>", v.token(0xC3));
    }

    @Test
    void theIncrementalDecoderWaitsForWholeCharacters() {
        Vocabulary.Decoder d = Vocabulary.bytes().decoder();
        int[] smile = Vocabulary.bytes().encode("😀");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < smile.length; i++) {
            String piece = d.append(smile[i]);
            assertEquals(i == smile.length - 1 ? "😀" : "", piece, "byte " + i);
            sb.append(piece);
        }
        assertEquals("", d.finish());
        d.append(0xF0);
        assertEquals("\uFFFD", d.finish(), "an unfinished sequence at the end");
        assertEquals("\uFFFDa", Vocabulary.bytes().decode(new int[] {0xFF, 'a'}), "an invalid byte");
    }

    @Test
    void charactersAreCodePointsByFrequencyWithReservedIdsFirst() {
        Vocabulary v = Vocabulary.characters(List.of("abca😀", "😀a"), 1, 100);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "a", "😀", "b", "c"), v.tokens());
        assertArrayEquals(new int[] {5, 4, 1}, v.encode("😀az"), "a surrogate pair is one token; z is unknown");
        assertEquals(3, v.length("😀az"));
        assertEquals("😀a", v.decode(new int[] {2, 5, 4, 3, 0}), "reserved ids decode to nothing");
        Vocabulary small = Vocabulary.characters(List.of("abca😀", "😀a"), 2, 100);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "a", "😀"), small.tokens(), "minimum count 2");
        Vocabulary capped = Vocabulary.characters(List.of("abca😀", "😀a"), 1, 5);
        assertEquals(5, capped.size(), "maximum size counts the reserved ids");
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.characters(List.of("ab"), 3, 100));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.characters(List.of("ab"), 1, 4));
    }

    @Test
    void wordsSplitOnSpaceAndPunctuation() {
        assertEquals(List.of("Don't", "panic", ",", "Zoë", "—", "42", "times", "!"),
                Vocabulary.splitWords("Don't panic, Zoë — 42 times!"));
        Vocabulary v = Vocabulary.words(List.of("the cat, the hat.", "the end"), 1, 100);
        assertEquals("the", v.token(4));
        int[] ids = v.encode("the cat sat.");
        assertEquals(v.unk(), ids[2]);
        assertEquals("the cat <unk>.", v.decode(ids));
        assertEquals(v.id("hat"), v.encode("hat")[0]);
    }

    @Test
    void savedWithTheModelAndReadBackAsTheSameVocabulary() {
        Vocabulary v = Vocabulary.characters(List.of("Привет, мир"), 1, 100);
        TextPreprocessing p = new TextPreprocessing(v, List.of("en", "ru"));
        Map<String, String> meta = p.toMetadata();
        Preprocessing back = Preprocessing.fromMetadata(meta);
        TextPreprocessing t = assertInstanceOf(TextPreprocessing.class, back);
        assertEquals(v.tokens(), t.vocabulary().tokens());
        assertEquals(List.of("en", "ru"), t.labels());
        assertEquals(1, t.labelIndex("ru"));
        assertArrayEquals(v.encode("мир!"), t.vocabulary().encode("мир!"));
        TextPreprocessing lm = assertInstanceOf(TextPreprocessing.class,
                Preprocessing.fromMetadata(TextPreprocessing.languageModel(Vocabulary.bytes()).toMetadata()));
        assertEquals(Vocabulary.Level.BYTE, lm.vocabulary().level());
    }

    @Test
    void badSavedFormsAreClearErrors() {
        String[] bad = {
            "{\"kind\":\"text\",\"version\":1,\"vocabulary\":{\"level\":\"char\",\"tokens\":[\"a\",\"b\"]},\"labels\":[]}",
            "{\"kind\":\"text\",\"version\":1,\"vocabulary\":{\"level\":\"char\",\"tokens\":[\"<pad>\",\"<unk>\",\"<bos>\",\"<eos>\",\"ab\"]},\"labels\":[]}",
            "{\"kind\":\"text\",\"version\":1,\"vocabulary\":{\"level\":\"char\",\"tokens\":[\"<pad>\",\"<unk>\",\"<bos>\",\"<eos>\",\"a\",\"a\"]},\"labels\":[]}",
            "{\"kind\":\"text\",\"version\":1,\"vocabulary\":{\"level\":\"bytes\"},\"labels\":[]}",
            "{\"kind\":\"text\",\"version\":1,\"vocabulary\":{\"level\":\"byte\"},\"labels\":[\"x\",\"x\"]}",
            "{\"kind\":\"text\",\"version\":2,\"vocabulary\":{\"level\":\"byte\"},\"labels\":[]}",
            "{\"kind\":\"text\",\"version\":1,\"vocabulary\":{\"level\":\"byte\"},\"labels\":[],\"extra\":1}",
        };
        for (String json : bad) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Preprocessing.fromMetadata(Map.of(Preprocessing.METADATA_KEY, json)), json);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
    }
}
