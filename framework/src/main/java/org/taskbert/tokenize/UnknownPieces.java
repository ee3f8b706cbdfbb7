package org.taskbert.tokenize;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How many of the texts a tokenizer encoded were more than half {@code [UNK]}: a model whose vocabulary does not
 * cover the language (bert-base-uncased on Japanese) shows itself so, instead of training on unknown pieces in
 * silence. A text encoded twice counts twice; an empty text counts for nothing. Thread-safe.
 */
public final class UnknownPieces {

    private final AtomicLong texts = new AtomicLong();
    private final AtomicLong mostlyUnknown = new AtomicLong();
    private final AtomicReference<String> first = new AtomicReference<>();

    /** Counts one text by its word pieces (before truncation). */
    void count(String text, List<String> pieces) {
        if (pieces.isEmpty()) {
            return;
        }
        texts.incrementAndGet();
        long unknown = pieces.stream().filter(Vocab.UNK::equals).count();
        if (2 * unknown > pieces.size()) {
            mostlyUnknown.incrementAndGet();
            first.compareAndSet(null, text);
        }
    }

    public long texts() {
        return texts.get();
    }

    public long mostlyUnknown() {
        return mostlyUnknown.get();
    }

    /**
     * The line a run prints once at its end when any text was more than half [UNK], e.g. {@code 40 of 40 texts were
     * more than half [UNK]: is the model right for this language? (the first: "今日は晴れです。")}; empty otherwise.
     */
    public Optional<String> report() {
        long n = mostlyUnknown.get();
        if (n == 0) {
            return Optional.empty();
        }
        String text = first.get();
        String shown = text.codePointCount(0, text.length()) <= 40
                ? text
                : text.substring(0, text.offsetByCodePoints(0, 40)) + "…";
        return Optional.of(n + " of " + texts.get()
                + " texts were more than half [UNK]: is the model right for this language? (the first: \""
                + shown.replace('\n', ' ') + "\")");
    }
}
