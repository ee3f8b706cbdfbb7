package org.taskbert.spi.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * The bounds taskbert's JSON and YAML readers put on their input (Jackson's {@link StreamReadConstraints}), so that a
 * hostile file fails at once with a message instead of costing minutes of parsing or the stack: a number literal (or
 * a numeric string read as a number) of more than {@value #MAX_NUMBER_LENGTH} characters, and arrays or objects nested
 * more than {@value #MAX_NESTING_DEPTH} deep. Every reader of user input builds its factory from here.
 */
public final class ReadLimits {

    /** The longest number, in characters: a double needs under 25, so this refuses only the absurd. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /** The deepest nesting of arrays and objects: taskbert's own formats need under 10. */
    public static final int MAX_NESTING_DEPTH = 100;

    public static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .build();

    private ReadLimits() {}

    /** A JSON factory under these limits, for a mapper's builder. */
    public static JsonFactory jsonFactory() {
        return JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();
    }

    /** Whether a number of {@code length} characters is within the limit (for numbers that arrive as strings). */
    public static boolean numberLengthAllowed(int length) {
        return length <= MAX_NUMBER_LENGTH;
    }

    /** Jackson's message for a broken limit, without the names of its Java methods. */
    public static String describe(StreamConstraintsException e) {
        return plain(e.getOriginalMessage());
    }

    /** {@code message} with Jackson's "(N, from `StreamReadConstraints.getMaxX()`)" reduced to "(N)". */
    public static String plain(String message) {
        return message == null ? null : message.replaceAll(", from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`", "");
    }
}
