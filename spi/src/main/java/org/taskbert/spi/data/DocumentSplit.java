package org.taskbert.spi.data;

import java.util.List;

/** Documents split into a training and a test side; no document (nor exact copy of one) is on both. */
public record DocumentSplit(List<Document> train, List<Document> test) {
    public DocumentSplit {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }
}
