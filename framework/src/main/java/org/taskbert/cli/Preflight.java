package org.taskbert.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The checks a command runs on its paths before any work, so that a bad path fails in a second, not after thirty
 * minutes of computing: every input exists and is a file; every output can be written where it goes (its folder can
 * be created and written, the name is not too long, it is not a folder where a file is expected or the reverse) and
 * is not one of the inputs. Failures are {@link FileSystemException}s whose message names the path.
 */
public final class Preflight {

    /** The length of what {@link org.taskbert.spi.data.AtomicFile} adds to a name for its temporary file. */
    private static final int TEMPORARY_NAME_EXTRA = ".".length() + ".0123456789abcdef.tmp".length();

    private Preflight() {}

    /** {@code file} exists and is a file, not a folder. */
    public static void inputFile(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a folder, not a file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "does not exist");
        }
    }

    /**
     * {@code out} can be written as a file: it is not a folder nor one of {@code inputs}, its parent folders exist or
     * are created now, and a file of its name (and of the longer name its temporary copy has) can be created there.
     */
    static void outputFile(Path out, Collection<Path> inputs) throws IOException {
        if (Files.isDirectory(out)) {
            throw new FileSystemException(out.toString(), null, "is a folder; give the name of a file to write");
        }
        for (Path input : inputs) {
            if (sameFile(out, input)) {
                throw new FileSystemException(
                        out.toString(), null, "is also an input; writing it would replace the input, choose another");
            }
        }
        Path parent = out.toAbsolutePath().getParent();
        createFolder(parent, out);
        probe(parent, out.getFileName().toString(), out);
    }

    /**
     * {@code dir} can be written as a folder: it is not a file nor one of {@code inputs}, and it exists or is created
     * now, and a file can be created in it.
     */
    static void outputFolder(Path dir, Collection<Path> inputs) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new FileSystemException(dir.toString(), null, "is a file; give the name of a folder to write");
        }
        for (Path input : inputs) {
            if (sameFile(dir, input)) {
                throw new FileSystemException(
                        dir.toString(), null, "is also an input; writing it would replace the input, choose another");
            }
        }
        Path absolute = dir.toAbsolutePath();
        createFolder(absolute, dir);
        probe(absolute, "taskbert-output", dir);
    }

    /** Whether two paths name one file: by the file system when both exist, else by their normalised paths. */
    static boolean sameFile(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) {
            return Files.isSameFile(a, b);
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static void createFolder(Path folder, Path out) throws IOException {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new FileSystemException(
                    out.toString(), null, "cannot be written: " + existing + " is a file, not a folder");
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new FileSystemException(out.toString(), null, "cannot be written: " + reason(e, null));
        }
    }

    /** Creates and deletes a file named as the output's temporary file: the one sure test that it can be written. */
    private static void probe(Path folder, String name, Path out) throws IOException {
        Path probe = folder.resolve("." + name
                + String.format(".%016x.tmp", ThreadLocalRandom.current().nextLong()));
        try {
            Files.newByteChannel(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                    .close();
        } catch (IOException e) {
            throw new FileSystemException(out.toString(), null, "cannot be written: " + reason(e, probe));
        }
        Files.deleteIfExists(probe);
    }

    /** What went wrong, and where unless it was at the probe. */
    static String reason(IOException e, Path probe) {
        if (!(e instanceof FileSystemException fs)) {
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
        String reason = fs.getReason() != null
                ? fs.getReason()
                : fs instanceof AccessDeniedException
                        ? "permission denied"
                        : fs.getClass().getSimpleName();
        if (reason.equals("File name too long") && probe != null) {
            String name = probe.getFileName().toString();
            return "file name too long (" + (name.getBytes(StandardCharsets.UTF_8).length - TEMPORARY_NAME_EXTRA)
                    + " bytes; taskbert writes through a temporary file whose name is " + TEMPORARY_NAME_EXTRA
                    + " bytes longer)";
        }
        boolean elsewhere =
                fs.getFile() != null && (probe == null || !fs.getFile().equals(probe.toString()));
        return reason + (elsewhere ? " (" + fs.getFile() + ")" : "");
    }
}
