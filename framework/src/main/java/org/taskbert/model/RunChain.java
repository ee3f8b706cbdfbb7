package org.taskbert.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The runs a run folder stands on: its {@code run.json} names a {@code base_model}, which may itself be a run folder,
 * and so on down to a model that is not a run. Loading a run loads that chain, so it is followed first: a cycle (a
 * run whose base is itself, or two runs based on each other) and a chain deeper than {@link #MAX_DEPTH} are refused
 * with the {@code run.json} files named, before anything loads.
 */
final class RunChain {

    /** Far more runs than anyone trains on top of each other; a deeper chain is a mistake. */
    static final int MAX_DEPTH = 16;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunChain() {}

    /** The {@code run.json} files from {@code run} down, each the base of the one before; or a ModelLoadException. */
    static List<Path> follow(Path run) {
        Map<Path, Path> seen = new LinkedHashMap<>(); // real folder -> its run.json as named
        Path dir = run;
        while (RunFolder.isRun(dir)) {
            Path file = dir.resolve(RunFolder.RUN_JSON);
            Path earlier = seen.put(real(dir), file);
            if (earlier != null) {
                throw new ModelLoadException("the runs' base_model entries form a cycle: " + arrows(seen.values())
                        + " -> " + earlier + " again; a run cannot be based on itself");
            }
            if (seen.size() > MAX_DEPTH) {
                throw new ModelLoadException("the chain of runs, each the base_model of the one before, is deeper than "
                        + MAX_DEPTH + ": " + arrows(seen.values()) + " -> ...");
            }
            String base = baseModel(file);
            if (base.equals(Models.TINY_RANDOM)) {
                break;
            }
            Path next;
            try {
                next = Path.of(base);
            } catch (InvalidPathException e) {
                break; // not a folder: Models.load says what it is, or that it is nothing
            }
            if (!Files.isDirectory(next)) {
                break;
            }
            dir = next;
        }
        return List.copyOf(seen.values());
    }

    private static String baseModel(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode base = root == null ? null : root.get("base_model");
        if (base == null || !base.isTextual() || base.asText().isBlank()) {
            throw new ModelLoadException(file + " names no base_model (a string: the model the run trained)");
        }
        return base.asText().trim();
    }

    private static Path real(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new ModelLoadException("cannot resolve the run folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String arrows(Collection<Path> files) {
        return files.stream().map(Path::toString).collect(Collectors.joining(" -> "));
    }
}
