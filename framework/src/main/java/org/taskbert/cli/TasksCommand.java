package org.taskbert.cli;

import java.util.concurrent.Callable;
import org.taskbert.task.TaskRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code taskbert tasks}: the task types the installed plugins register, as a config's {@code task.type} names them. */
@Command(
        name = "tasks",
        mixinStandardHelpOptions = true,
        description = "List the task types of the installed plugins (found on the classpath by ServiceLoader).")
final class TasksCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        TaskRegistry registry = TaskRegistry.discover();
        registry.names()
                .forEach(name -> spec.commandLine()
                        .getOut()
                        .printf("%-20s %s%n", name, registry.configType(name).getName()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
