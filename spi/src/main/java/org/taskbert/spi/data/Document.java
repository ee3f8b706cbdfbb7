package org.taskbert.spi.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One corpus document: its sentences grouped by paragraph, in the original order.
 *
 * @param label the topic label, or null (e.g. Wikipedia)
 * @param duplicateOf the id of an earlier exact copy of this document, or null
 * @param paragraphs the sentences of each paragraph; paragraphs without sentences are dropped
 */
public record Document(String id, String title, String label, String duplicateOf, List<List<String>> paragraphs) {
    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        paragraphs =
                paragraphs.stream().map(List::copyOf).filter(p -> !p.isEmpty()).toList();
    }

    /** All sentences, paragraph after paragraph. */
    public List<String> sentences() {
        List<String> all = new ArrayList<>();
        paragraphs.forEach(all::addAll);
        return all;
    }

    /** Whether this document is a later copy of another one. */
    public boolean isDuplicate() {
        return duplicateOf != null;
    }

    /** The id shared by this document and its exact copies: the first copy's id. */
    public String duplicateGroup() {
        return duplicateOf != null ? duplicateOf : id;
    }
}
