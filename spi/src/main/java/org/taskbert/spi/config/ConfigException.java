package org.taskbert.spi.config;

/** A config that cannot be used: the message names the file and the field path (or the bad path). */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
