package org.taskbert.spi;

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.multibindings.Multibinder;

/**
 * A task plugin, in the manner of Druid's extensions: a small Guice module, listed in
 * {@code META-INF/services/org.taskbert.spi.TaskModule} and found by ServiceLoader, that registers
 * its task types. The framework knows no task by name.
 */
public interface TaskModule extends Module {

    /** The plugin's name, for error messages and {@code taskbert tasks}. */
    String name();

    /** Registers a task type under the short name a config's {@code task.type} selects it by. */
    static void registerTask(Binder binder, String typeName, Class<? extends TaskConfig> configType) {
        Multibinder.newSetBinder(binder, TaskType.class).addBinding().toInstance(new TaskType(typeName, configType));
    }
}
