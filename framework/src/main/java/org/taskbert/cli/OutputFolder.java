package org.taskbert.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.taskbert.spi.data.AtomicFile;

/**
 * A folder that one command writes as a whole ({@code compare}'s report, {@code export}'s model) and so may clear:
 * taskbert never writes into a folder of someone else's files. The command's files are known by name
 * ({@link Layout}); those it wrote last are listed in a marker file, {@value #MARKER}. A folder is the command's own
 * when it is new or empty, holds the command's marker, or (written before the marker existed) holds only files of the
 * command's layout and passes the layout's own test. Any other folder is refused unless {@code --force} is given;
 * then only the layout's fixed names are cleared there, and every other file stays.
 *
 * <p>{@link #claim} checks before the command works; {@link #clear} removes the command's old files just before it
 * writes its new ones (so that nothing stale, such as an old {@code 2_Dense/}, stays); {@link #seal} writes the marker.
 */
final class OutputFolder {

    /** The marker file: {@code {"command": "export", "files": ["config.json", ...]}}. */
    static final String MARKER = ".taskbert-output.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int LISTED = 5;
    /** {@link AtomicFile}'s temporary name for a file. */
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.[0-9a-f]{1,16}\\.tmp");

    /**
     * What a command writes into its folder.
     *
     * @param command the command's name, as the marker records it
     * @param files the relative paths ({@code /}-separated) it always or possibly writes
     * @param more further names it writes at the top level (compare's charts), or null
     * @param signature recognises the command's folder written before the marker existed
     */
    record Layout(String command, Set<String> files, Pattern more, Predicate<Path> signature) {
        /** A file of the layout, or the temporary file of one that a killed command left. */
        boolean owns(String relative) {
            int slash = relative.lastIndexOf('/');
            Matcher temporary = TEMPORARY.matcher(relative.substring(slash + 1));
            return named(relative)
                    || (temporary.matches() && named(relative.substring(0, slash + 1) + temporary.group(1)));
        }

        private boolean named(String relative) {
            return files.contains(relative)
                    || (more != null && more.matcher(relative).matches());
        }

        /** The folders the layout's files sit in ({@code 1_Pooling}, {@code 2_Dense}). */
        Set<String> folders() {
            Set<String> folders = new TreeSet<>();
            for (String file : files) {
                for (int slash = file.indexOf('/'); slash > 0; slash = file.indexOf('/', slash + 1)) {
                    folders.add(file.substring(0, slash));
                }
            }
            return folders;
        }
    }

    private final Path dir;
    private final Layout layout;
    private final Set<String> foreign;
    private final Set<String> own;

    private OutputFolder(Path dir, Layout layout, Set<String> foreign, Set<String> own) {
        this.dir = dir;
        this.layout = layout;
        this.foreign = foreign;
        this.own = own;
    }

    /**
     * Checks {@code dir} for the command before it does any work: it must be writable ({@link Preflight}), not one
     * of {@code inputs}, and new, empty or the command's own, unless {@code force}. Creates it if it is missing.
     */
    static OutputFolder claim(Path dir, Layout layout, boolean force, Collection<Path> inputs) throws IOException {
        Preflight.outputFolder(dir, inputs);
        Set<String> foreign = new TreeSet<>();
        Set<String> present = new TreeSet<>();
        for (String entry : entries(dir)) {
            if (layout.owns(entry)) {
                present.add(entry);
            } else if (!layout.folders().contains(entry)) {
                foreign.add(entry);
            }
        }
        List<String> marked = marked(dir, layout);
        if (marked != null) {
            for (String entry : present) {
                if (!marked.contains(entry)) {
                    foreign.add(entry); // of the command's names, but not written by it
                }
            }
            present.retainAll(marked);
            return new OutputFolder(dir, layout, foreign, present);
        }
        if (foreign.isEmpty() && (present.isEmpty() || layout.signature().test(dir))) {
            return new OutputFolder(dir, layout, foreign, present);
        }
        if (!force) {
            List<String> shown = new ArrayList<>(present);
            shown.addAll(foreign);
            String holds = String.join(", ", shown.subList(0, Math.min(LISTED, shown.size())))
                    + (shown.size() > LISTED ? " and " + (shown.size() - LISTED) + " more" : "");
            throw new FileSystemException(
                    dir.toString(),
                    null,
                    "is not empty and was not written by taskbert " + layout.command() + " (it holds " + holds
                            + "); choose a new or empty folder, or pass --force to replace taskbert "
                            + layout.command() + "'s files there (other files are kept)");
        }
        present.retainAll(layout.files());
        return new OutputFolder(dir, layout, foreign, present);
    }

    /** Deletes the command's old files (all but {@code keep}) and the layout's folders they leave empty. */
    void clear(Set<String> keep) throws IOException {
        for (String file : own) {
            if (!keep.contains(file)) {
                Files.deleteIfExists(dir.resolve(file));
            }
        }
        for (String folder : layout.folders()) {
            Path path = dir.resolve(folder);
            if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.deleteIfExists(path);
                } catch (DirectoryNotEmptyException kept) {
                    // someone else's file is in it: the folder stays with it
                }
            }
        }
    }

    /** Records the command's files now in the folder (not those that were someone else's) in the marker. */
    void seal() throws IOException {
        List<String> files = new ArrayList<>();
        for (String entry : entries(dir)) {
            if (layout.owns(entry) && !foreign.contains(entry)) {
                files.add(entry);
            }
        }
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("command", layout.command());
        marker.put("files", files);
        byte[] bytes = JSON.writeValueAsBytes(marker);
        AtomicFile.write(dir.resolve(MARKER), out -> out.write(bytes));
    }

    /** The marker's files if it is this command's marker, else null. */
    private static List<String> marked(Path dir, Layout layout) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(marker.toFile());
            if (!layout.command().equals(node.path("command").asText(null))
                    || !node.path("files").isArray()) {
                return null;
            }
            List<String> files = new ArrayList<>();
            node.path("files").forEach(f -> files.add(f.asText()));
            return files;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The relative paths of the folder's files and folders ({@code /}-separated; symbolic links not followed), but
     * not the marker. A missing folder has none.
     */
    private static List<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir))
                    .map(p -> dir.relativize(p)
                            .toString()
                            .replace(dir.getFileSystem().getSeparator(), "/"))
                    .filter(name -> !name.equals(MARKER))
                    .sorted()
                    .toList();
        }
    }
}
