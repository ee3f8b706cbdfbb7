package org.taskbert.spi;

/**
 * One model input: token ids with [CLS] and [SEP] in place, their segment (token type) ids, and
 * whether word pieces were dropped to fit the maximum length.
 */
public record Encoding(int[] inputIds, int[] tokenTypeIds, boolean truncated) {

    public Encoding {
        if (inputIds.length != tokenTypeIds.length) {
            throw new IllegalArgumentException(
                    inputIds.length + " input ids but " + tokenTypeIds.length + " token type ids");
        }
    }

    public int length() {
        return inputIds.length;
    }
}
