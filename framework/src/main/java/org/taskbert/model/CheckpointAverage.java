package org.taskbert.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.taskbert.model.format.Safetensors;

/**
 * The uniform average of checkpoints' weights, written as a run folder that every command reads as a model: a "model
 * soup" (Wortsman et al., 2022) of checkpoints fine-tuned from one base model, or the average of one run's checkpoints
 * along its trajectory (SWA, Izmailov et al., 2018; LAWA, Kaddour, 2022).
 *
 * <p>A source is a checkpoint folder ({@code RUN/checkpoints/step-00000040}, {@code RUN/best}) or a run folder (its
 * best checkpoint, else its latest). Each is verified against its manifest; all must come from runs of the same base
 * model and pooling, with the same tensors of the same shapes, all finite; any other input is refused with the file
 * named. The output ({@code OUT/run.json} naming the base model, the pooling and the sources with their checksums,
 * {@code OUT/best/weights.safetensors} with its manifest) is written into a temporary sibling and renamed into place.
 */
public final class CheckpointAverage {

    /** A source resolved: its checkpoint folder and the run folder whose {@code run.json} describes it. */
    public record Source(Path checkpoint, Path run) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointAverage() {}

    /** The checkpoint a path given by a user stands for; a ModelLoadException naming the path if none. */
    public static Source resolve(Path given) {
        try {
            if (RunFolder.isRun(given)) {
                Path best = RunFolder.best(given);
                if (Files.isRegularFile(best.resolve(RunFolder.WEIGHTS))) {
                    return new Source(best, given);
                }
                Path latest = RunFolder.latestCheckpoint(given, List.of(RunFolder.WEIGHTS))
                        .orElseThrow(() -> new ModelLoadException("the run " + given + " has no checkpoint yet"));
                return new Source(latest, given);
            }
            Optional<Path> run = RunFolder.runOf(given);
            if (run.isPresent()) {
                return new Source(given, run.get());
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot use " + given + ": " + e.getMessage(), e);
        }
        throw new ModelLoadException(given + " is neither a run folder (run.json) nor a checkpoint of one"
                + " (RUN/checkpoints/step-…/ or RUN/best/ holding " + RunFolder.WEIGHTS + ")");
    }

    /**
     * Averages the checkpoints {@code given} stands for into the new run folder {@code out} (which must not exist, or
     * be empty) and returns their sources.
     */
    public static List<Source> write(List<Path> given, Path out) throws IOException {
        if (given.size() < 2) {
            throw new IllegalArgumentException("averaging needs at least 2 checkpoints, got " + given.size());
        }
        requireNew(out);
        List<Source> sources = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path p : given) {
            Source s = resolve(p);
            if (!seen.add(s.checkpoint().toRealPath())) {
                throw new IllegalArgumentException(p + " names the checkpoint " + s.checkpoint()
                        + " a second time: each checkpoint is averaged once");
            }
            sources.add(s);
        }
        ObjectNode run = describe(sources);
        Map<String, Tensor> mean = mean(sources);

        Path parent = out.toAbsolutePath().normalize().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + out.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Path best = Files.createDirectories(RunFolder.best(tmp));
            Safetensors.write(
                    best.resolve(RunFolder.WEIGHTS), mean, Map.of("averaged", Integer.toString(sources.size())));
            CheckpointManifest.write(best, List.of(RunFolder.WEIGHTS));
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(tmp.resolve(RunFolder.RUN_JSON).toFile(), run);
            if (Files.isDirectory(out)) {
                Files.delete(out); // empty, as requireNew checked
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Models.deleteTree(tmp);
        }
        return sources;
    }

    /** The output's run.json: the sources' common base model and pooling, and each source with its checksum. */
    private static ObjectNode describe(List<Source> sources) throws IOException {
        ObjectNode first = runJson(sources.get(0).run());
        ObjectNode run = JSON.createObjectNode();
        run.set("base_model", first.get("base_model"));
        run.set("pooling", first.get("pooling"));
        ArrayNode from = run.putArray("averaged_from");
        for (Source s : sources) {
            ObjectNode other = runJson(s.run());
            for (String field : List.of("base_model", "pooling")) {
                if (!first.path(field).equals(other.path(field))) {
                    throw new IllegalArgumentException("the checkpoints come from different models: "
                            + s.run().resolve(RunFolder.RUN_JSON) + " has " + field + " " + other.path(field)
                            + ", " + sources.get(0).run().resolve(RunFolder.RUN_JSON) + " has " + first.path(field));
                }
            }
            CheckpointManifest.verify(s.checkpoint(), List.of(RunFolder.WEIGHTS));
            from.addObject()
                    .put(
                            "checkpoint",
                            s.checkpoint().toAbsolutePath().normalize().toString())
                    .put("sha256", CheckpointManifest.sha256(s.checkpoint().resolve(RunFolder.WEIGHTS)));
        }
        return run;
    }

    /** The elementwise mean, summed in double (one source in memory at a time) and rounded once to float. */
    private static Map<String, Tensor> mean(List<Source> sources) throws IOException {
        Path firstFile = sources.get(0).checkpoint().resolve(RunFolder.WEIGHTS);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (Source s : sources) {
            Path file = s.checkpoint().resolve(RunFolder.WEIGHTS);
            Map<String, Tensor> weights = Safetensors.read(file);
            if (shapes.isEmpty()) {
                weights.forEach((name, t) -> {
                    shapes.put(name, t.shape());
                    sums.put(name, new double[t.data().length]);
                });
            } else if (!weights.keySet().equals(shapes.keySet())) {
                Set<String> missing = new HashSet<>(shapes.keySet());
                missing.removeAll(weights.keySet());
                Set<String> extra = new HashSet<>(weights.keySet());
                extra.removeAll(shapes.keySet());
                throw new IllegalArgumentException(file + " holds other tensors than " + firstFile + ": lacks "
                        + first(missing) + ", has " + first(extra));
            }
            for (Map.Entry<String, Tensor> e : weights.entrySet()) {
                String name = e.getKey();
                Tensor t = e.getValue();
                if (!Arrays.equals(t.shape(), shapes.get(name))) {
                    throw new IllegalArgumentException(file + ": tensor " + name + " has shape "
                            + Arrays.toString(t.shape()) + ", in " + firstFile + " "
                            + Arrays.toString(shapes.get(name)));
                }
                float[] x = t.data();
                double[] sum = sums.get(name);
                for (int i = 0; i < x.length; i++) {
                    if (!Float.isFinite(x[i])) {
                        throw new IllegalArgumentException(
                                file + ": tensor " + name + " holds " + x[i] + " at index " + i);
                    }
                    sum[i] += x[i];
                }
            }
        }
        Map<String, Tensor> mean = new LinkedHashMap<>();
        double n = sources.size();
        sums.forEach((name, sum) -> {
            float[] m = new float[sum.length];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) (sum[i] / n);
            }
            mean.put(name, new Tensor(shapes.get(name), m));
        });
        return mean;
    }

    private static String first(Set<String> names) {
        return names.isEmpty()
                ? "none"
                : names.stream().sorted().findFirst().orElseThrow()
                        + (names.size() > 1 ? " and " + (names.size() - 1) + " more" : "");
    }

    private static ObjectNode runJson(Path run) throws IOException {
        Path file = run.resolve(RunFolder.RUN_JSON);
        JsonNode root = JSON.readTree(file.toFile());
        if (!(root instanceof ObjectNode o) || !o.path("base_model").isTextual()) {
            throw new IOException(file + " names no base_model (a string: the model the run trained)");
        }
        return o;
    }

    private static void requireNew(Path out) throws IOException {
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isEmpty()) {
                    return;
                }
            }
        }
        throw new IllegalArgumentException(
                "--out " + out + " exists and is not an empty folder: the average is written only into a new one");
    }
}
