package org.taskbert.tasks.classification;

import java.nio.file.Path;

/**
 * One example: a text (or a pair, {@code textPair} non-null) and its label, with where it was read.
 *
 * @param id the document's id (a corpus), or {@code file:line} (explicit files)
 * @param duplicateOf the id of an earlier exact copy of this document, or null
 */
public record LabelledText(String id, String text, String textPair, String label, String duplicateOf, Path file,
        long line) {

    public boolean isPair() {
        return textPair != null;
    }

    public boolean isDuplicate() {
        return duplicateOf != null;
    }

    /** {@code file:line}, for messages. */
    public String where() {
        return file + ":" + line;
    }
}
