package org.taskbert.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.taskbert.compare.CompareConfig;
import org.taskbert.compare.CompareReport;
import org.taskbert.compare.CompareResults;
import org.taskbert.compare.Comparison;
import org.taskbert.compare.TaskComparison;
import org.taskbert.config.ConfigLoader;
import org.taskbert.spi.data.AtomicFile;
import org.taskbert.task.TaskRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskbert compare CONFIG.yaml}: the [CLS] evidence report. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Which sentence vector to use, and why: STS by cosine, whitened and probed; next-sentence",
            "and topic probes; anisotropy; fine-tuned runs against generic embeddings on each task's",
            "evaluation set. Writes report.md, report.html and results.json."
        })
final class CompareCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "a compare config (YAML)")
    Path config;

    @Option(names = "--set", description = "override a config field: key.path=value")
    List<String> overrides = List.of();

    @Option(names = "--report-only", description = "re-render the report from OUTPUT/results.json, measuring nothing")
    boolean reportOnly;

    @Option(
            names = "--force",
            description = "write into an output folder that holds other files: compare's own files there are"
                    + " replaced, every other file is kept")
    boolean force;

    static final OutputFolder.Layout LAYOUT =
            new OutputFolder.Layout("compare", CompareReport.FILES, CompareReport.CHART, CompareReport::isReport);

    @Override
    public Integer call() throws Exception {
        CompareConfig cfg =
                new ConfigLoader().read(config, CompareConfig.class, overrides).validate(config.toString());
        OutputFolder folder = OutputFolder.claim(cfg.output(), LAYOUT, force, inputs(cfg));
        if (reportOnly) {
            Path saved = cfg.output().resolve("results.json");
            Preflight.inputFile(saved);
            CompareResults results = new ObjectMapper().readValue(saved.toFile(), CompareResults.class);
            if (cfg.stsProbe() != null) { // results written before the probe's file was recorded: the config names it
                results.models.stream()
                        .filter(m -> m.stsProbeTrain == null)
                        .forEach(m -> m.stsProbeTrain = cfg.stsProbe().train().toString());
            }
            folder.clear(Set.of("results.json"));
            CompareReport.write(results, cfg.output());
            folder.seal();
            spec.commandLine()
                    .getOut()
                    .printf("report re-rendered from %s%n", cfg.output().resolve("results.json"));
            return 0;
        }
        long start = System.nanoTime();
        CompareResults results = new CompareResults();
        results.config = config.toString();
        results.seed = cfg.seed();
        Comparison comparison = new Comparison(cfg, (task, total) -> ProgressBars.start(task, total, "items"));
        if (cfg.sts() != null && !cfg.sts().isEmpty()) {
            for (String model : cfg.models()) {
                results.models.add(comparison.run(model));
            }
        }
        if (cfg.tasks() != null) {
            TaskComparison tasks = new TaskComparison(
                    cfg, TaskRegistry.discover(), (task, total) -> ProgressBars.start(task, total, "texts"));
            for (Path run : cfg.tasks().runs()) {
                results.tasks.add(tasks.run(run));
            }
        }
        results.seconds = (System.nanoTime() - start) / 1e9;
        folder.clear(Set.of());
        byte[] json =
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(results);
        AtomicFile.write(cfg.output().resolve("results.json"), out -> out.write(json));
        CompareReport.write(results, cfg.output());
        folder.seal();
        spec.commandLine()
                .getOut()
                .printf(
                        "report: %s and %s (%.0f s)%n",
                        cfg.output().resolve("report.md"), cfg.output().resolve("report.html"), results.seconds);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The files the config reads: the output folder must be none of them. */
    private List<Path> inputs(CompareConfig cfg) {
        List<Path> inputs = new ArrayList<>(List.of(config));
        for (String model : cfg.models() == null ? List.<String>of() : cfg.models()) {
            if (Files.exists(Path.of(model))) {
                inputs.add(Path.of(model)); // a model folder
            }
        }
        if (cfg.sts() != null) {
            inputs.addAll(cfg.sts());
        }
        if (cfg.stsProbe() != null && cfg.stsProbe().train() != null) {
            inputs.add(cfg.stsProbe().train());
        }
        if (cfg.whitening() != null && cfg.whitening().corpus() != null) {
            inputs.add(cfg.whitening().corpus());
        }
        if (cfg.corpus() != null && cfg.corpus().file() != null) {
            inputs.add(cfg.corpus().file());
        }
        if (cfg.tasks() != null) {
            inputs.addAll(cfg.tasks().runs());
            inputs.addAll(cfg.tasks().sentenceVectors());
        }
        return inputs;
    }
}
