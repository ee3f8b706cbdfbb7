package org.taskbert.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.taskbert.config.ConfigLoader;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.TrainConfig;
import org.taskbert.train.Trainer;
import org.taskbert.train.TrainerState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskbert train CONFIG.yaml}: fine-tune for a task plugin named in the config. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Fine-tune BERT for the task named by the config's task.type.",
            "Checkpoints go to OUTPUT/checkpoints (atomically); --resume continues a killed run."
        })
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG")
    Path config;

    @Option(names = "--set", description = "override a config field: key.path=value (e.g. training.steps=100)")
    List<String> overrides = List.of();

    @Option(names = "--resume", description = "continue from the run folder's latest checkpoint")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        TaskRegistry tasks = TaskRegistry.discover();
        ConfigLoader loader = new ConfigLoader(List.of(tasks.jacksonModule()));
        TrainConfig cfg = loader.read(config, TrainConfig.class, overrides).validate(config.toString());
        // The run keeps the config it ran (the file with the overrides merged): resuming checks it is unchanged.
        ProgressBar[] bar = new ProgressBar[1];
        Trainer trainer = new Trainer(cfg, loader.merged(config, overrides), tasks.nameOf(cfg.task()));
        TrainerState end = trainer.run(resume, new Trainer.Listener() {
            @Override
            public void started(long fromStep, long totalSteps) {
                bar[0] = ProgressBars.open("train", totalSteps, "steps");
                bar[0].stepTo(fromStep);
            }

            @Override
            public void step(long step, double loss, double examplesPerSecond) {
                bar[0].stepTo(step);
                bar[0].setExtraMessage(String.format(" loss %.4f, %.1f ex/s", loss, examplesPerSecond));
            }
        });
        if (bar[0] != null) {
            bar[0].close();
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "finished at step %d; last metrics %s; best %s = %s%n",
                        end.step(), end.lastMetrics(), end.bestCheckpoint(), end.bestMetric());
        trainer.unknownPiecesReport().ifPresent(spec.commandLine().getErr()::println);
        return 0;
    }
}
