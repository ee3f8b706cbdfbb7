package org.taskbert.spi.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.taskbert.spi.Pooling;

/** The checks task configs share in {@code validate}; each failure names the config and the field. */
public final class ConfigChecks {

    private ConfigChecks() {
    }

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

    /** Fails naming {@code field} when {@code pooling} is not one of {@code allowed}. */
    public static void requirePooling(String configName, String field, Pooling pooling, Pooling... allowed) {
        if (!Arrays.asList(allowed).contains(pooling)) {
            throw new ConfigException(configName + ": field '" + field + "' must be one of "
                    + Arrays.toString(allowed) + ", got " + pooling);
        }
    }

    /** Fails naming {@code field} unless {@code value} > 0. */
    public static void requirePositive(String configName, String field, double value) {
        if (!(value > 0)) {
            throw new ConfigException(configName + ": field '" + field + "' must be positive, got " + value);
        }
    }
}
