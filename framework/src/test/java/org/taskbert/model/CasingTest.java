package org.taskbert.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model lower-cases its input when it says so; when it says nothing, its vocabulary decides, never its name. */
class CasingTest {

    @TempDir
    Path tmp;

    @Test
    void aSavedModelFollowsDoLowerCaseInItsModelJson() throws IOException {
        Path dir = TinyModels.writeSavedModel(tmp.resolve("bert-uncased-copy"), 1, true);
        Files.writeString(dir.resolve("assets/model.json"), "{\"doLowerCase\": false, \"maxSequenceLength\": 128}");
        LoadedModel m = Models.load(dir.toString());
        assertFalse(m.lowerCase());
        // Kept as written: the tiny vocabulary has no "P", so the word is [UNK] (lower-cased it would be p ##a ...).
        assertEquals(List.of("[UNK]"), m.tokenizer().tokenize("Paris"));
    }

    @Test
    void aSilentSavedModelIsJudgedByItsVocabularyNotByItsFolderName() throws IOException {
        // "cased" in the name used to make this uncased vocabulary's tokenizer keep case, so "The" matched nothing.
        Path uncased = TinyModels.writeSavedModel(tmp.resolve("my-cased-model"), 1, true);
        assertTrue(Models.load(uncased.toString()).lowerCase());

        // An upper-case piece: a cased vocabulary, whatever the folder is called.
        Path cased = TinyModels.writeSavedModel(tmp.resolve("plain"), 1, true);
        withUpperCasePiece(cased.resolve("assets/vocab.txt"));
        LoadedModel m = Models.load(cased.toString());
        assertFalse(m.lowerCase());
        assertEquals(
                m.tokenizer().vocab().id("Paris"), m.tokenizer().encode("Paris").inputIds()[1]);
    }

    @Test
    void aHuggingFaceFolderFollowsDoLowerCaseElseItsVocabulary() throws IOException {
        Path dir = TinyModels.writeHuggingFace(tmp.resolve("hf"), 1, true);
        assertTrue(Models.load(dir.toString()).lowerCase());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false}");
        assertFalse(Models.load(dir.toString()).lowerCase());

        // No tokenizer_config.json: Hugging Face's BertTokenizer would lower-case, and never reach "Paris".
        Files.delete(dir.resolve("tokenizer_config.json"));
        assertTrue(Models.load(dir.toString()).lowerCase());
        withUpperCasePiece(dir.resolve("vocab.txt"));
        assertFalse(Models.load(dir.toString()).lowerCase());
    }

    @Test
    void aFlagThatIsNotABooleanIsNamed() throws IOException {
        Path tf = TinyModels.writeSavedModel(tmp.resolve("tf"), 1, true);
        Files.writeString(tf.resolve("assets/model.json"), "{\"doLowerCase\": \"false\"}");
        var e = assertThrows(ModelLoadException.class, () -> Models.load(tf.toString()));
        assertTrue(e.getMessage().contains("model.json: doLowerCase must be true or false"), e.getMessage());

        Path hf = TinyModels.writeHuggingFace(tmp.resolve("hf"), 1, true);
        Files.writeString(hf.resolve("tokenizer_config.json"), "{\"do_lower_case\": 0}");
        e = assertThrows(ModelLoadException.class, () -> Models.load(hf.toString()));
        assertTrue(e.getMessage().contains("tokenizer_config.json: do_lower_case must be true or false"));
    }

    @Test
    void tokenizerOptionsBertDoesNotHaveAreRefusedByName() throws IOException {
        Path hf = TinyModels.writeHuggingFace(tmp.resolve("hf"), 1, true);
        Files.writeString(hf.resolve("tokenizer_config.json"), "{\"do_lower_case\": true, \"strip_accents\": false}");
        var e = assertThrows(ModelLoadException.class, () -> Models.load(hf.toString()));
        assertTrue(e.getMessage().contains("strip_accents false with do_lower_case true"), e.getMessage());

        Files.writeString(hf.resolve("tokenizer_config.json"), "{\"do_lower_case\": false, \"strip_accents\": null}");
        assertFalse(Models.load(hf.toString()).lowerCase());

        Files.writeString(hf.resolve("tokenizer_config.json"), "{\"tokenize_chinese_chars\": false}");
        e = assertThrows(ModelLoadException.class, () -> Models.load(hf.toString()));
        assertTrue(e.getMessage().contains("tokenize_chinese_chars false"), e.getMessage());
    }

    /** Replaces the tiny vocabulary's last piece by "Paris" (the word table keeps its size). */
    private static void withUpperCasePiece(Path vocab) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(vocab));
        lines.set(lines.size() - 1, "Paris");
        lines.set(lines.size() - 2, "Straße");
        Files.write(vocab, lines);
    }
}
