package org.taskbert.spi.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.ibm.icu.util.ULocale;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.taskbert.spi.Pooling;

/** The checks task configs share in {@code validate}; each failure names the config and the field. */
public final class ConfigChecks {

    /** ICU's ISO 639 language codes, the languages a sentence splitter's locale may name. */
    private static final Set<String> ISO_LANGUAGES = Set.of(ULocale.getISOLanguages());

    private ConfigChecks() {}

    /** Fails naming {@code field} when {@code path} is not an existing file. */
    public static Path requireFile(String configName, String field, Path path) {
        if (path == null) {
            throw new ConfigException(configName + ": missing required field '" + field + "'");
        }
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(configName + ": field '" + field + "': no such file " + path.toAbsolutePath());
        }
        return path;
    }

    /** Fails naming {@code field[i]} when one of {@code paths} is not an existing file. */
    public static void requireFiles(String configName, String field, List<Path> paths) {
        for (int i = 0; i < paths.size(); i++) {
            requireFile(configName, field + "[" + i + "]", paths.get(i));
        }
    }

    /**
     * Fails naming {@code field} unless {@code locale} names an ISO 639 language ({@code ja}, {@code ja_JP},
     * {@code ja-JP}, {@code en}): ICU would take "jp" or "japanese" without a word and split by its root rules.
     */
    public static void requireLocale(String configName, String field, String locale) {
        String language = locale == null ? "" : new ULocale(locale.strip()).getLanguage();
        if (!ISO_LANGUAGES.contains(language)) {
            throw new ConfigException(configName + ": field '" + field + "' must name a language by its ISO 639 code"
                    + " (ja, en, zh, ko, de, ...; ja_JP and ja-JP work too), got '" + locale + "'"
                    + ("jp".equals(language) ? " (JP is the country; Japanese is ja)" : ""));
        }
    }

    /** Fails naming {@code field} when {@code pooling} is not one of {@code allowed}. */
    public static void requirePooling(String configName, String field, Pooling pooling, Pooling... allowed) {
        if (!Arrays.asList(allowed).contains(pooling)) {
            throw new ConfigException(configName + ": field '" + field + "' must be one of " + Arrays.toString(allowed)
                    + ", got " + pooling);
        }
    }

    /**
     * An option's name in a config: the {@code @JsonProperty} name of its enum constant (how a task's options are
     * declared: {@code @JsonProperty("in-batch") IN_BATCH}), else the constant's name.
     */
    public static String name(Enum<?> option) {
        try {
            JsonProperty p = option.getDeclaringClass().getField(option.name()).getAnnotation(JsonProperty.class);
            return p != null ? p.value() : option.name();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The config names of an option type's values, in declaration order. */
    public static List<String> names(Class<?> optionType) {
        return Arrays.stream(optionType.getEnumConstants())
                .map(c -> c instanceof Pooling p ? p.id() : name((Enum<?>) c))
                .toList();
    }

    /** Fails naming {@code field} unless {@code value} is a finite number above 0 (NaN and infinities fail). */
    public static void requirePositive(String configName, String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new ConfigException(configName + ": field '" + field + "' must be positive"
                    + (Double.isInfinite(value) ? " and finite" : "") + ", got " + value);
        }
    }

    /** Fails naming {@code field} unless {@code value} (a whole number) is above 0. */
    public static void requirePositive(String configName, String field, long value) {
        if (value <= 0) {
            throw new ConfigException(configName + ": field '" + field + "' must be positive, got " + value);
        }
    }

    /** Fails naming {@code field} unless {@code value} is a finite number of at least 0 (NaN and infinities fail). */
    public static void requireNonNegative(String configName, String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new ConfigException(configName + ": field '" + field + "' must be at least 0"
                    + (Double.isInfinite(value) ? " and finite" : "") + ", got " + value);
        }
    }

    /** Fails naming {@code field} unless {@code value} (a whole number) is at least {@code min}. */
    public static void requireAtLeast(String configName, String field, long value, long min) {
        if (value < min) {
            throw new ConfigException(
                    configName + ": field '" + field + "' must be at least " + min + ", got " + value);
        }
    }

    /** Fails naming {@code field} unless {@code min <= value <= max} (NaN fails). */
    public static void requireWithin(String configName, String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new ConfigException(
                    configName + ": field '" + field + "' must be within [" + min + ", " + max + "], got " + value);
        }
    }
}
