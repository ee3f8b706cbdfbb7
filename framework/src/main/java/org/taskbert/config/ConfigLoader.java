package org.taskbert.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.taskbert.spi.config.ConfigChecks;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.spi.data.ReadLimits;

/**
 * Reads YAML (or JSON) configs into records (fields in snake_case), strictly: unknown fields, wrong types (a fraction
 * for a whole number too) and missing required fields are errors naming the file and the field path; a key given twice
 * in one mapping is an error naming it and its line; numbers and nesting are bounded by {@link ReadLimits}. Polymorphic
 * parts (a task) are chosen by registered short names; Jackson's default typing stays off, so a config never names a
 * Java class.
 */
public final class ConfigLoader {

    /** Jackson's message for a key seen twice ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}). */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    /** Jackson's message for a quoted scalar where a number or boolean is expected. */
    private static final Pattern QUOTED_SCALAR = Pattern.compile("(?s)Cannot coerce String value \\(\"(.*)\"\\) to ");

    private final ObjectMapper yaml;

    public ConfigLoader(List<Module> modules) {
        this.yaml = YAMLMapper.builder(YAMLFactory.builder()
                        .streamReadConstraints(ReadLimits.CONSTRAINTS)
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS) // "6" is no number, 7 no boolean
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .build();
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
            throw new ConfigException(file + ": " + unreadable(e), e);
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
            throw new ConfigException("--set expects key.path=value, got '" + abbreviated(override) + "'");
        }
        String[] keys = override.substring(0, eq).trim().split("\\.");
        JsonNode value;
        try {
            value = yaml.readTree(override.substring(eq + 1));
        } catch (JsonProcessingException e) {
            throw new ConfigException("--set " + abbreviated(override) + ": " + unreadable(e), e);
        }
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(keys[i]);
            } else if (!child.isObject()) {
                throw new ConfigException("--set " + abbreviated(override) + ": "
                        + String.join(".", List.of(keys).subList(0, i + 1)) + " in " + file + " is not a mapping");
            }
            node = (ObjectNode) child;
        }
        // an empty value ("--set a.b=") reads as no document at all: null, as "a: {b: }" in the file
        node.set(keys[keys.length - 1], value == null || value.isMissingNode() ? yaml.nullNode() : value);
    }

    /**
     * Why a YAML text could not be read: a key given twice (named with its path and line), a limit of {@link
     * ReadLimits} passed, or the parser's own message with its line where it has one.
     */
    private static String unreadable(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        JsonLocation at = e.getLocation();
        String line = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr();
        Matcher duplicate = DUPLICATE.matcher(message);
        if (duplicate.matches()) {
            String key = e.getProcessor() instanceof JsonParser p
                    ? keyPath(p.getParsingContext().getParent(), duplicate.group(1))
                    : duplicate.group(1);
            return "duplicate key '" + key + "'" + line + " (each key may appear once in a mapping)";
        }
        if (e instanceof StreamConstraintsException c) {
            return "beyond taskbert's limits" + line + ": " + ReadLimits.describe(c);
        }
        return "not valid YAML" + line + ": " + firstLine(message);
    }

    /** The path of {@code key} ({@code training.steps}, {@code list[0].a}) in the mapping under {@code parent}. */
    private static String keyPath(JsonStreamContext parent, String key) {
        StringBuilder path = new StringBuilder(key);
        for (JsonStreamContext c = parent; c != null && !c.inRoot(); c = c.getParent()) {
            String step = c.inArray() ? "[" + c.getCurrentIndex() + "]" : c.getCurrentName();
            if (step != null) {
                path.insert(0, path.charAt(0) == '[' ? step : step + ".");
            }
        }
        return path.toString();
    }

    /** An override as a message shows it: a long one cut short. */
    private static String abbreviated(String override) {
        return override.length() <= 80 ? override : override.substring(0, 77) + "...";
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
            if (mi instanceof InvalidFormatException bad && bad.getValue() != null) {
                return "field '" + where + "' expects " + typeName(mi.getTargetType()) + ", got "
                        + shown(bad.getValue());
            }
            Matcher quoted = QUOTED_SCALAR.matcher(msg);
            if (quoted.lookingAt()
                    && !ReadLimits.numberLengthAllowed(quoted.group(1).length())) {
                // the YAML parser hands over a number too long for its limits as a string
                return "field '" + where + "' expects " + typeName(mi.getTargetType()) + " of at most "
                        + ReadLimits.MAX_NUMBER_LENGTH + " characters, got "
                        + quoted.group(1).length();
            }
            if (quoted.lookingAt()) {
                return "field '" + where + "' expects " + typeName(mi.getTargetType()) + ", got the string "
                        + shown(quoted.group(1)) + " (write it without quotes)";
            }
            return "field '" + where + "' expects " + typeName(mi.getTargetType()) + ": "
                    + ReadLimits.plain(firstLine(msg));
        }
        return (where.isEmpty() ? "" : "field '" + where + "': ") + ReadLimits.plain(firstLine(e.getOriginalMessage()));
    }

    private static String typeName(Class<?> c) {
        if (c.isEnum()) {
            return "one of " + ConfigChecks.names(c);
        }
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class || c == Short.class) {
            return "a whole number";
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
            return "a number";
        }
        if (c == Boolean.class || c == boolean.class) {
            return "true or false";
        }
        return c.getSimpleName();
    }

    /** A value a config gave, as a message shows it: strings quoted, long ones cut short. */
    private static String shown(Object value) {
        String s = String.valueOf(value);
        s = s.length() <= 40 ? s : s.substring(0, 37) + "... (" + s.length() + " characters)";
        return value instanceof String ? "'" + s + "'" : s;
    }

    /** The first line of a parser's message, cut short if long (it may quote the whole bad value). */
    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() <= 300 ? line : line.substring(0, 297) + "...";
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
