package org.taskbert.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.taskbert.model.CheckpointAverage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskbert average --out DIR CHECKPOINT...}: the uniform average of checkpoints' weights, as a model. */
@Command(
        name = "average",
        mixinStandardHelpOptions = true,
        description = {
            "Average the weights of checkpoints fine-tuned from one base model (a model soup, or one run's",
            "checkpoints along its trajectory) into a new folder that embed, eval, export and compare read as a run."
        })
final class AverageCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, description = "the new folder (it must not exist, or be empty)")
    Path out;

    @Parameters(
            arity = "2..*",
            paramLabel = "CHECKPOINT",
            description = "RUN/checkpoints/step-N, RUN/best, or a run folder (its best checkpoint)")
    List<Path> checkpoints;

    @Override
    public Integer call() throws Exception {
        List<CheckpointAverage.Source> sources = CheckpointAverage.write(checkpoints, out);
        spec.commandLine().getOut().printf("averaged %d checkpoints into %s%n", sources.size(), out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
