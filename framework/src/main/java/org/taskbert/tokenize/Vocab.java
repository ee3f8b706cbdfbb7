package org.taskbert.tokenize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A WordPiece vocabulary: one token a line of vocab.txt, the id being the line index. */
public final class Vocab {

    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";
    public static final String UNK = "[UNK]";
    public static final String PAD = "[PAD]";
    public static final String MASK = "[MASK]";

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final int cls;
    private final int sep;
    private final int unk;

    private Vocab(List<String> tokens, String source) {
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            ids.put(tokens.get(i), i); // a repeated token keeps its last id, as BERT's dict does
        }
        this.cls = required(CLS, source);
        this.sep = required(SEP, source);
        this.unk = required(UNK, source);
    }

    /**
     * Reads a vocab.txt (UTF-8) as BERT's load_vocab does: each line, whitespace-stripped at both
     * ends, is the next token; an empty line is the token "", and a final newline adds nothing.
     */
    public static Vocab load(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        List<String> tokens = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            tokens.add(strip(text.substring(start, end)));
            start = end + 1;
        }
        return new Vocab(tokens, file.toString());
    }

    /** A vocabulary whose token i is {@code tokens.get(i)}; it must hold [CLS], [SEP] and [UNK]. */
    public static Vocab of(List<String> tokens) {
        return new Vocab(tokens, "in-memory vocab");
    }

    /** The id of {@code token}, or -1 if it is not in the vocabulary. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The token on line {@code id}. */
    public String token(int id) {
        return tokens.get(id);
    }

    /** The number of lines, i.e. one more than the largest id. */
    public int size() {
        return tokens.size();
    }

    public int clsId() {
        return cls;
    }

    public int sepId() {
        return sep;
    }

    public int unkId() {
        return unk;
    }

    /** The id of [PAD], or -1 if the vocabulary lacks it. */
    public int padId() {
        return id(PAD);
    }

    /** The id of [MASK], or -1 if the vocabulary lacks it. */
    public int maskId() {
        return id(MASK);
    }

    private int required(String token, String source) {
        int id = id(token);
        if (id < 0) {
            throw new IllegalArgumentException(source + ": vocabulary has no " + token + " token");
        }
        return id;
    }

    /** Python's str.strip(): drops leading and trailing whitespace in Python's (wide) sense. */
    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && Chars.isPythonSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && Chars.isPythonSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }
}
