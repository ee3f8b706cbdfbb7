package org.taskbert.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;
import org.taskbert.spi.data.InputFormatException;

/** Asserts that reading fails with an {@link InputFormatException} that names the right file, line and field. */
public final class InputErrorAssert {
    private InputErrorAssert() {}

    public static InputFormatException assertInputError(
            Path file, long line, String field, String fragment, Executable read) {
        InputFormatException e = assertThrows(InputFormatException.class, read);
        String message = e.getMessage();
        assertEquals(file, e.file(), message);
        assertEquals(line, e.line(), message);
        assertEquals(field, e.field(), message);
        String where = file.getFileName() + (line > 0 ? ":" + line + ": " : ": ");
        assertTrue(message.contains(where), () -> "message should contain '" + where + "': " + message);
        assertTrue(message.contains(fragment), () -> "message should contain '" + fragment + "': " + message);
        return e;
    }
}
