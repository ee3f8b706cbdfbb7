package org.taskbert.model;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.tokenize.Vocab;

/**
 * Whether a model lower-cases (and strips accents from) its input, as the model itself says: a SavedModel in
 * {@code assets/model.json} ({@code "doLowerCase"}), a Hugging Face folder in {@code tokenizer_config.json}
 * ({@code "do_lower_case"}). A model that says nothing is judged by its vocabulary: one with upper-case pieces was
 * built from cased text (a lower-casing tokenizer could never reach them), one without is uncased. The folder's
 * name decides nothing.
 */
final class Casing {

    private static final Logger LOG = LoggerFactory.getLogger(Casing.class);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Casing() {}

    /** A SavedModel's casing: {@code doLowerCase} in its assets/model.json, else its vocabulary's. */
    static boolean ofSavedModel(Path modelJson, Path vocab) {
        JsonNode n = read(modelJson);
        if (n != null && n.has("doLowerCase")) {
            return flag(n, "doLowerCase", modelJson);
        }
        return fromVocabulary(vocab, modelJson);
    }

    /**
     * A Hugging Face folder's casing: {@code do_lower_case} in tokenizer_config.json, else its vocabulary's. The
     * tokenizer options BERT's own tokenizer does not have ({@code strip_accents} apart from lower-casing, no
     * splitting of CJK ideographs) are refused by name rather than ignored.
     */
    static boolean ofHuggingFace(Path tokenizerConfig, Path vocab) {
        JsonNode n = read(tokenizerConfig);
        boolean lower = n != null && n.has("do_lower_case")
                ? flag(n, "do_lower_case", tokenizerConfig)
                : fromVocabulary(vocab, tokenizerConfig);
        if (n != null && n.hasNonNull("strip_accents") && flag(n, "strip_accents", tokenizerConfig) != lower) {
            throw new ModelLoadException(tokenizerConfig + ": strip_accents " + n.get("strip_accents")
                    + " with do_lower_case " + lower + " is not BERT's tokenizer (it strips accents exactly when it"
                    + " lower-cases); taskbert does not implement it");
        }
        if (n != null && n.has("tokenize_chinese_chars") && !flag(n, "tokenize_chinese_chars", tokenizerConfig)) {
            throw new ModelLoadException(tokenizerConfig + ": tokenize_chinese_chars false is not BERT's tokenizer"
                    + " (it makes each CJK ideograph a word); taskbert does not implement it");
        }
        return lower;
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n != null && !n.isObject()) {
                throw new ModelLoadException("cannot parse " + file + ": not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ModelLoadException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    /** A true/false field: a string "false" or a number would otherwise read as whatever Jackson guesses. */
    private static boolean flag(JsonNode n, String field, Path file) {
        JsonNode v = n.get(field);
        if (!v.isBoolean()) {
            throw new ModelLoadException(file + ": " + field + " must be true or false, not " + v);
        }
        return v.booleanValue();
    }

    private static boolean fromVocabulary(Path vocab, Path silent) {
        Vocab v;
        try {
            v = Vocab.load(vocab);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("cannot read the vocabulary " + vocab + ": " + e.getMessage(), e);
        }
        String upper = upperCasePiece(v);
        LOG.info(
                "{} does not say whether the model lower-cases its input; its vocabulary {} decides: {}",
                silent,
                vocab,
                upper == null ? "no upper-case piece, so uncased" : "it holds '" + upper + "', so cased");
        return upper == null;
    }

    /**
     * The first piece with an upper-case letter, special tokens ({@code [CLS]}, {@code [unused0]}, {@code <S>})
     * aside; null when there is none.
     */
    static String upperCasePiece(Vocab v) {
        for (int i = 0; i < v.size(); i++) {
            String t = v.token(i);
            boolean special =
                    (t.startsWith("[") && t.endsWith("]") || t.startsWith("<") && t.endsWith(">")) && t.length() > 2;
            if (!special && !t.equals(t.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        return null;
    }
}
