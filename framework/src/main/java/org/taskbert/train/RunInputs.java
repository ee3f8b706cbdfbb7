package org.taskbert.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.taskbert.model.CheckpointManifest;

/**
 * What a run's result depends on besides the code, which a resume must find unchanged: the config as parsed and
 * normalised (its tree with keys sorted: comments, key order and layout are not the config; nor is {@code output},
 * so that a run folder can be moved), and the content of every data file it names (each string value that is the
 * path of a regular file, by its field, e.g. {@code task.corpus} or {@code task.eval_sts[0]}). Saved in each
 * checkpoint's {@code state.json}.
 *
 * @param config the config tree, keys sorted, without {@code output}
 * @param files the data files by field
 */
public record RunInputs(JsonNode config, Map<String, DataFile> files) {

    /** A data file the config names: the path as written, its size and its SHA-256. */
    public record DataFile(String path, long bytes, String sha256) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DIFFERENCES = 5;

    public RunInputs {
        files = files == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** The inputs of the config {@code yaml} (a run's merged config), its data files hashed as they are now. */
    public static RunInputs of(String yaml) throws IOException {
        JsonNode tree;
        try {
            tree = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the merged config is not YAML: " + e.getOriginalMessage(), e);
        }
        JsonNode config = canonical(tree == null ? JSON.createObjectNode() : tree);
        if (config instanceof ObjectNode o) {
            o.remove("output");
        }
        Map<String, DataFile> files = new TreeMap<>();
        collectFiles(config, "", files);
        return new RunInputs(config, files);
    }

    /** A SHA-256 over the normalised config and the data files' checksums: equal for equal inputs. */
    public String hash() {
        StringBuilder text = new StringBuilder();
        try {
            text.append(JSON.writeValueAsString(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        files.forEach((field, f) -> text.append('\n').append(field).append('=').append(f.sha256()));
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How these inputs differ from {@code saved} (a run's, when it started), in words; a few at most. */
    public List<String> differencesFrom(RunInputs saved) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, DataFile> e : saved.files().entrySet()) {
            DataFile now = files.get(e.getKey());
            DataFile then = e.getValue();
            if (now != null && now.path().equals(then.path()) && !now.sha256().equals(then.sha256())) {
                out.add("the data file " + Path.of(now.path()).toAbsolutePath() + " (" + e.getKey()
                        + ") changed since the run started (" + then.bytes() + " bytes, SHA-256 " + brief(then)
                        + " then; " + now.bytes() + " bytes, SHA-256 " + brief(now) + " now)");
            }
        }
        compare(saved.config(), config, "", out);
        return out.size() > MAX_DIFFERENCES ? out.subList(0, MAX_DIFFERENCES) : out;
    }

    private static void compare(JsonNode then, JsonNode now, String path, List<String> out) {
        if (Objects.equals(then, now) || out.size() > MAX_DIFFERENCES) {
            return;
        }
        if (then != null && now != null && then.isObject() && now.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            then.fieldNames().forEachRemaining(names::add);
            now.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                compare(then.get(name), now.get(name), path.isEmpty() ? name : path + "." + name, out);
            }
        } else if (then != null
                && now != null
                && then.isNumber()
                && now.isNumber()
                && then.decimalValue().compareTo(now.decimalValue()) == 0) {
            // the same number read back as another type (e.g. int and long)
        } else {
            out.add("field '" + path + "' was " + show(then) + ", is " + show(now));
        }
    }

    private static String show(JsonNode n) {
        return n == null ? "absent" : n.toString();
    }

    private static String brief(DataFile f) {
        return f.sha256().substring(0, Math.min(12, f.sha256().length())) + "…";
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            for (String name : names) {
                sorted.set(name, canonical(node.get(name)));
            }
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> copy.add(canonical(e)));
            return copy;
        }
        return node;
    }

    private static void collectFiles(JsonNode node, String path, Map<String, DataFile> files) throws IOException {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                collectFiles(node.get(name), path.isEmpty() ? name : path + "." + name, files);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectFiles(node.get(i), path + "[" + i + "]", files);
            }
        } else if (node.isTextual()) {
            Path file;
            try {
                file = Path.of(node.asText());
            } catch (InvalidPathException e) {
                return;
            }
            if (!node.asText().isEmpty() && Files.isRegularFile(file)) {
                try {
                    files.put(path, new DataFile(node.asText(), Files.size(file), CheckpointManifest.sha256(file)));
                } catch (IOException e) {
                    throw new IOException("cannot read " + file + " (" + path + ") to check it: " + e.getMessage(), e);
                }
            }
        }
    }
}
