package org.taskbert.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code taskbert eval}: evaluations of a model's vectors. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = "Evaluate a model's sentence vectors.",
        subcommands = {EvalStsCommand.class})
final class EvalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
