package org.taskbert.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.taskbert.model.ModelLoadException;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.spi.data.InputFormatException;

/**
 * The contract every fuzz target holds a reader to: for any input it returns a value or fails with one of taskbert's
 * own exceptions, with a message. Anything else (a NullPointerException, an ArithmeticException, an Error) fails the
 * fuzz test, and Jazzer keeps the input.
 */
public final class HostileInput {

    /** What a user sees as one clear line: taskbert's own exceptions. */
    public static final List<Class<? extends Exception>> OWN =
            List.of(ConfigException.class, InputFormatException.class, ModelLoadException.class);

    /**
     * The model file formats ({@code model.format}) report a bad file as an {@link IOException} naming it, which the
     * model loaders wrap in a {@link ModelLoadException}; for them a checked {@code IOException} is a clean refusal.
     */
    public static final List<Class<? extends Exception>> OWN_OR_IO =
            Stream.concat(OWN.stream(), Stream.of(IOException.class)).toList();

    /** A read of hostile input. */
    public interface Read {
        void run() throws Exception;
    }

    private HostileInput() {}

    /** Runs {@code read}: it may return or throw one of {@code allowed} with a non-blank message; nothing else. */
    public static void mustReadOrRefuse(List<Class<? extends Exception>> allowed, Read read) {
        try {
            read.run();
        } catch (Exception e) {
            boolean own = allowed.stream().anyMatch(c -> c.isInstance(e));
            if (!own) {
                throw new AssertionError("not one of " + names(allowed) + ": " + e, e);
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError(e.getClass().getSimpleName() + " without a message", e);
            }
        }
    }

    /** A scratch folder for the files a target writes, removed when the JVM exits. */
    public static Path scratch(String name) {
        try {
            Path dir = Files.createTempDirectory("taskbert-fuzz-" + name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: the folder is under java.io.tmpdir
        }
    }

    private static String names(List<Class<? extends Exception>> classes) {
        return String.join(", ", classes.stream().map(Class::getSimpleName).toList());
    }
}
