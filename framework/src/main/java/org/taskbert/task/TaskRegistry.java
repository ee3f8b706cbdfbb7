package org.taskbert.task;

import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.taskbert.spi.TaskConfig;
import org.taskbert.spi.TaskModule;
import org.taskbert.spi.TaskType;

/**
 * The installed task plugins: every {@link TaskModule} on the classpath, wired by Guice, with their
 * task types registered with Jackson under their short names.
 */
public final class TaskRegistry {

    private final TreeMap<String, TaskType> types = new TreeMap<>();

    private TaskRegistry(Set<TaskType> found) {
        for (TaskType t : found) {
            TaskType previous = types.put(t.name(), t);
            if (previous != null && previous.configType() != t.configType()) {
                throw new IllegalStateException("two plugins register task type '" + t.name() + "': "
                        + previous.configType().getName() + " and "
                        + t.configType().getName());
            }
        }
    }

    /** Discovers the plugins through ServiceLoader; a plugin that fails to load or configure is named. */
    public static TaskRegistry discover() {
        List<TaskModule> modules = new ArrayList<>();
        var it = ServiceLoader.load(TaskModule.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                modules.add(it.next());
            } catch (ServiceConfigurationError e) {
                throw new IllegalStateException(
                        "a task plugin failed to load: " + e.getMessage()
                                + (e.getCause() != null ? " (" + e.getCause() + ")" : ""),
                        e);
            }
        }
        return of(modules);
    }

    public static TaskRegistry of(List<TaskModule> modules) {
        List<Module> guarded = new ArrayList<>();
        guarded.add(binder -> Multibinder.newSetBinder(binder, TaskType.class));
        for (TaskModule m : modules) {
            guarded.add(binder -> {
                try {
                    m.configure(binder);
                } catch (RuntimeException e) {
                    throw new IllegalStateException(
                            "task plugin '" + pluginName(m) + "' failed during setup: " + e.getMessage(), e);
                }
            });
        }
        Injector injector;
        try {
            injector = Guice.createInjector(guarded);
        } catch (CreationException e) {
            Throwable cause = e.getErrorMessages().isEmpty()
                    ? e
                    : e.getErrorMessages().iterator().next().getCause();
            throw new IllegalStateException(
                    cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMessage(), e);
        }
        return new TaskRegistry(injector.getInstance(Key.get(new TypeLiteral<Set<TaskType>>() {})));
    }

    private static String pluginName(TaskModule m) {
        try {
            return m.name();
        } catch (RuntimeException e) {
            return m.getClass().getName();
        }
    }

    public Set<String> names() {
        return types.keySet();
    }

    /** The config class registered under {@code name}. */
    public Class<? extends TaskConfig> configType(String name) {
        TaskType t = types.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no task type '" + name + "'; installed: " + types.keySet());
        }
        return t.configType();
    }

    /** The registered name of a task config's type ({@code task.type}). */
    public String nameOf(TaskConfig config) {
        return types.values().stream()
                .filter(t -> t.configType() == config.getClass())
                .map(TaskType::name)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unregistered task config " + config.getClass().getName()));
    }

    /** A Jackson module that maps each {@code task.type} name to its config class. */
    public SimpleModule jacksonModule() {
        SimpleModule module = new SimpleModule("taskbert-tasks");
        types.values().forEach(t -> module.registerSubtypes(new NamedType(t.configType(), t.name())));
        return module;
    }
}
