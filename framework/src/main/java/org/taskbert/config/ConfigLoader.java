package org.taskbert.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.taskbert.spi.config.ConfigException;

/**
 * Reads YAML (or JSON) configs into records (fields in snake_case), strictly: unknown fields, wrong types and missing
 * required fields are errors naming the file and the field path. Polymorphic parts (a task) are
 * chosen by registered short names; Jackson's default typing stays off, so a config never names a
 * Java class.
 */
public final class ConfigLoader {

    private final ObjectMapper yaml;

    public ConfigLoader(List<Module> modules) {
        this.yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        modules.forEach(yaml::registerModule);
    }

    public ConfigLoader() {
        this(List.of());
    }

    public ObjectMapper mapper() {
        return yaml;
    }

    /** Reads {@code file} as {@code type}, after applying {@code key.path=value} overrides. */
    public <T> T read(Path file, Class<T> type, List<String> overrides) {
        JsonNode tree = tree(file, overrides);
        try {
            return yaml.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": " + describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    /** The config as run: {@code file} with the overrides applied, as YAML (what a run folder keeps). */
    public String merged(Path file, List<String> overrides) {
        try {
            return yaml.writeValueAsString(tree(file, overrides));
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": cannot write the merged config: " + e.getOriginalMessage(), e);
        }
    }

    /** The YAML tree of {@code file} with the overrides applied. */
    private JsonNode tree(Path file, List<String> overrides) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file not found: " + file.toAbsolutePath());
        }
        JsonNode tree;
        try {
            tree = yaml.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            String at =
                    e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException(file + ": not valid YAML" + at + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config " + file + ": " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ConfigException(file + ": a config is a YAML mapping of fields");
        }
        for (String o : overrides) {
            applyOverride(file, (ObjectNode) tree, o);
        }
        return tree;
    }

    /** {@code a.b.c=value}: the value is read as YAML, so numbers, booleans and lists keep their types. */
    private void applyOverride(Path file, ObjectNode root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set expects key.path=value, got '" + override + "'");
        }
        String[] keys = override.substring(0, eq).trim().split("\\.");
        JsonNode value;
        try {
            value = yaml.readTree(override.substring(eq + 1));
        } catch (JsonProcessingException e) {
            throw new ConfigException("--set " + override + ": value is not valid YAML", e);
        }
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(keys[i]);
            } else if (!child.isObject()) {
                throw new ConfigException("--set " + override + ": "
                        + String.join(".", List.of(keys).subList(0, i + 1)) + " in " + file + " is not a mapping");
            }
            node = (ObjectNode) child;
        }
        // an empty value ("--set a.b=") reads as no document at all: null, as "a: {b: }" in the file
        node.set(keys[keys.length - 1], value == null || value.isMissingNode() ? yaml.nullNode() : value);
    }

    static String describe(JsonProcessingException e) {
        String where = e instanceof JsonMappingException m ? path(m) : "";
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null
                    ? ""
                    : "; known fields: "
                            + u.getKnownPropertyIds().stream()
                                    .map(Object::toString)
                                    .sorted()
                                    .collect(Collectors.joining(", "));
            return "unknown field '" + where + "'" + known;
        }
        if (e instanceof InvalidTypeIdException t) {
            String known = t.getOriginalMessage()
                    .replaceAll("(?s).*known type ids = ", "")
                    .replaceAll("\\s*\\(for POJO property[^)]*\\)", "")
                    .strip();
            return "field '" + where + "': unknown type '" + t.getTypeId() + "' ("
                    + (known.equals("[]")
                            ? "no task plugin is installed: ./taskbert builds them; elsewhere, put their jars on the classpath"
                            : "known: " + known)
                    + ")";
        }
        if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            String msg = e.getOriginalMessage();
            if (msg.contains("Missing required creator property")) {
                return "missing required field '" + where + (where.isEmpty() ? "" : ".")
                        + msg.replaceAll("(?s).*property '([^']*)'.*", "$1") + "'";
            }
            return "field '" + where + "' expects " + typeName(mi.getTargetType()) + ": " + firstLine(msg);
        }
        return (where.isEmpty() ? "" : "field '" + where + "': ") + firstLine(e.getOriginalMessage());
    }

    private static String typeName(Class<?> c) {
        return c.isEnum() ? "one of " + org.taskbert.spi.config.ConfigChecks.names(c) : c.getSimpleName();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            }
        }
        return sb.toString();
    }
}
